#!/usr/bin/env bash
# Peer definition for bin/loadtest: Node.js ws 8 with bufferutil (benchmarks/peers/ws; npm packages
# pinned by package-lock.json into node_modules, which git ignores). The contract is in
# benchmarks/peers/netty/peer.sh. Node runs the server on its one event loop thread.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
case "${1:-}" in
  build)
    command -v node >/dev/null || { echo "ws peer: node is missing (Debian: apt-get install nodejs npm)" >&2; exit 1; }
    if [ ! -d "$here/node_modules/ws" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
      npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >&2
    fi
    ;;
  command)
    port=${2:?port}
    # The real executable (not a symlink), since bin/loadtest compares it with /proc/PID/exe.
    printf '%s\n' "$(readlink -f "$(command -v node)")" "$here/echo-server.mjs" --host 127.0.0.1 --port "$port" --path /echo
    ;;
  info)
    echo kind=native
    echo path=/echo
    echo broadcast=
    echo "version=ws $(sed -n 's/.*"ws": "\(.*\)".*/\1/p' "$here/package.json") + bufferutil $(sed -n 's/.*"bufferutil": "\(.*\)".*/\1/p' "$here/package.json"), node $(node --version 2>/dev/null || echo missing)"
    ;;
  *) echo "usage: $0 build|command PORT|info" >&2; exit 2 ;;
esac
