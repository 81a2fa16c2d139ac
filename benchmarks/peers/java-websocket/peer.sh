#!/usr/bin/env bash
# Peer definition for bin/loadtest: Java-WebSocket 1.6 echo (benchmarks/peers/java-websocket, standalone pom).
# The contract is in benchmarks/peers/netty/peer.sh; the shared body in benchmarks/peers/maven-peer.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar_name=java-websocket-echo.jar
version_property=java-websocket.version
label="java-websocket (1 selector thread, 1 decoder thread)"
broadcast=
# shellcheck source=../maven-peer.sh
. "$here/../maven-peer.sh"
maven_peer "$@"
