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
jar="$here/target/netty-echo.jar"
case "${1:-}" in
  build)
    if [ ! -f "$jar" ] || [ -n "$(find "$here/pom.xml" "$here/src" -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
      "$ROOT/bin/build" -q -f "$here/pom.xml" package >&2
    fi
    ;;
  command)
    port=${2:?port}
    printf '%s\n' "$JAVA" $JVM_FLAGS -jar "$jar" --host 127.0.0.1 --port "$port" --path /echo --broadcast-path /broadcast
    ;;
  info)
    echo kind=jvm
    echo path=/echo
    echo broadcast=/broadcast
    echo "version=netty $(sed -n 's:.*<netty.version>\(.*\)</netty.version>.*:\1:p' "$here/pom.xml") (epoll, 1 event loop)"
    ;;
  *) echo "usage: $0 build|command PORT|info" >&2; exit 2 ;;
esac
