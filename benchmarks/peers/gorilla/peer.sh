#!/usr/bin/env bash
# Peer definition for bin/loadtest: Go's gorilla/websocket (benchmarks/peers/gorilla), built from Debian's
# golang-go and golang-github-gorilla-websocket-dev in GOPATH mode, never from the network (as
# interop/go does). The contract is in benchmarks/peers/netty/peer.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin="$here/target/gorilla-echo"
case "${1:-}" in
  build)
    command -v go >/dev/null || { echo "gorilla peer: go is missing (Debian: apt-get install golang-go)" >&2; exit 1; }
    [ -d /usr/share/gocode/src/github.com/gorilla/websocket ] ||
      { echo "gorilla peer: no gorilla/websocket source (Debian: apt-get install golang-github-gorilla-websocket-dev)" >&2; exit 1; }
    if [ ! -x "$bin" ] || [ "$here/echo_server.go" -nt "$bin" ]; then
      mkdir -p "$here/target"
      (cd "$here" && GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= go build -o "$bin" echo_server.go)
    fi
    ;;
  command)
    port=${2:?port}
    printf '%s\n' "$bin" --host 127.0.0.1 --port "$port" --path /echo
    ;;
  info)
    echo kind=native
    echo path=/echo
    echo broadcast=
    echo "version=gorilla/websocket $(dpkg-query -W -f '${Version}' golang-github-gorilla-websocket-dev 2>/dev/null || echo unknown) (Debian), $(go version 2>/dev/null | awk '{print $3}'), GOMAXPROCS 1"
    ;;
  *) echo "usage: $0 build|command PORT|info" >&2; exit 2 ;;
esac
