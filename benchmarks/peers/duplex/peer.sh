#!/usr/bin/env bash
# Peer definition for bin/loadtest: the Duplex server, through the CLI's echo mode
# (`java -jar cli/target/duplex.jar serve --echo`, which echoes on every path; the hidden
# `--bench-broadcast` adds the broadcast route at /broadcast). The contract is in
# benchmarks/peers/netty/peer.sh. The event loop count is the JVM's availableProcessors(), which
# bin/loadtest's -XX:ActiveProcessorCount=1 makes 1.
set -euo pipefail
jar="$ROOT/cli/target/duplex.jar"
case "${1:-}" in
  build)
    if [ ! -d "$ROOT/cli" ]; then
      echo "duplex peer: no cli module in $ROOT yet (it comes with branch cli); cannot run the Duplex server" >&2
      exit 1
    fi
    stale=$(find "$ROOT/core/src/main" "$ROOT/transport/src/main" "$ROOT/server/src/main" "$ROOT/cli/src/main" \
      "$ROOT/pom.xml" "$ROOT"/*/pom.xml -newer "$jar" -type f 2>/dev/null | head -1 || true)
    if [ ! -f "$jar" ] || [ -n "$stale" ]; then
      "$ROOT/bin/build" -q -o -DskipTests -pl cli -am package >&2 || "$ROOT/bin/build" -q -DskipTests -pl cli -am package >&2
    fi
    ;;
  command)
    port=${2:?port}
    printf '%s\n' "$JAVA" $JVM_FLAGS -jar "$jar" serve --echo --bench-broadcast --host 127.0.0.1 --port "$port"
    ;;
  info)
    echo kind=jvm
    echo path=/echo
    echo broadcast=/broadcast
    echo "version=duplex $(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo unknown)"
    ;;
  *) echo "usage: $0 build|command PORT|info" >&2; exit 2 ;;
esac
