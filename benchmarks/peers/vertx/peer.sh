#!/usr/bin/env bash
# Peer definition for bin/loadtest: Vert.x 4.5 WebSocket echo (benchmarks/peers/vertx, standalone pom).
# The contract is in benchmarks/peers/netty/peer.sh; the shared body in benchmarks/peers/maven-peer.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar_name=vertx-echo.jar
version_property=vertx.version
label="vertx (native epoll, 1 event loop)"
broadcast=
# shellcheck source=../maven-peer.sh
. "$here/../maven-peer.sh"
maven_peer "$@"
