#!/usr/bin/env bash
# Peer definition for bin/loadtest: Jetty 12 WebSocket echo (benchmarks/peers/jetty, standalone pom).
# The contract is in benchmarks/peers/netty/peer.sh; the shared body in benchmarks/peers/maven-peer.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar_name=jetty-echo.jar
version_property=jetty.version
label="jetty (WebSocket API on the core server, 1 selector)"
broadcast=
# shellcheck source=../maven-peer.sh
. "$here/../maven-peer.sh"
maven_peer "$@"
