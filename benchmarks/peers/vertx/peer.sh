#!/usr/bin/env bash
# Peer definition for bin/loadtest: Vert.x 4.5 WebSocket echo (benchmarks/peers/vertx, standalone pom).
# The contract is in benchmarks/peers/netty/peer.sh (and docs/benchmarks.md, "Adding a peer"); no
# broadcast route.
# Environment from bin/loadtest: ROOT (the worktree), JAVA (java of bin/java-home), JVM_FLAGS (shared).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/vertx-echo.jar"
case "${1:-}" in
  build)
    if [ ! -f "$jar" ] || [ -n "$(find "$here/pom.xml" "$here/src" -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
      "$ROOT/bin/build" -q -f "$here/pom.xml" package >&2
    fi
    ;;
  command)
    port=${2:?port}
    printf '%s\n' "$JAVA" $JVM_FLAGS -jar "$jar" --host 127.0.0.1 --port "$port" --path /echo
    ;;
  info)
    echo kind=jvm
    echo path=/echo
    echo broadcast=
    echo "version=vertx $(sed -n 's:.*<vertx.version>\(.*\)</vertx.version>.*:\1:p' "$here/pom.xml") (native epoll, 1 event loop)"
    ;;
  *) echo "usage: $0 build|command PORT|info" >&2; exit 2 ;;
esac
