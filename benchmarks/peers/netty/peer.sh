#!/usr/bin/env bash
# Peer definition for bin/loadtest: Netty 4.2 WebSocket echo (benchmarks/peers/netty, standalone pom).
# The contract every peer.sh follows (see docs/benchmarks.md, "Adding a peer"):
#   peer.sh build          build what `command` needs if it is missing or stale (quiet unless it fails)
#   peer.sh command PORT   print the server's argv, one argument per line; it must exec the server
#                          itself (no wrapper that forks), so the PID bin/loadtest starts is the server
#   peer.sh info           print key=value lines: kind (jvm|native), path (WebSocket echo path), version,
#                          and broadcast (the broadcast path, or nothing if the peer has none)
# Environment from bin/loadtest: ROOT (the worktree), JAVA (java of bin/java-home), JVM_FLAGS (shared).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar_name=netty-echo.jar
version_property=netty.version
label="netty (epoll, 1 event loop)"
broadcast=/broadcast
# The body is shared with the other JVM peers.
# shellcheck source=../maven-peer.sh
. "$here/../maven-peer.sh"
maven_peer "$@"
