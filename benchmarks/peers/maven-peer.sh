# Shared body of peer.sh for the JVM peers built from a standalone pom into one shaded jar (netty, vertx,
# jetty, java-websocket). Sourced by their peer.sh, which sets before calling `maven_peer "$@"`:
#   here              the peer's folder
#   jar_name          the shaded jar under target/
#   version_property  the pom property holding the library's version
#   label             the peer's name in `info`, and how it is set up, e.g. "(epoll, 1 event loop)"
#   broadcast         the broadcast route's path, or empty if the peer has none
# The contract every peer.sh follows is in benchmarks/peers/netty/peer.sh and docs/benchmarks.md.
# Environment from bin/loadtest: ROOT (the worktree), JAVA (java of bin/java-home), JVM_FLAGS (shared).
maven_peer() {
  local jar="$here/target/$jar_name"
  case "${1:-}" in
    build)
      if [ ! -f "$jar" ] || [ -n "$(find "$here/pom.xml" "$here/src" -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
        "$ROOT/bin/build" -q -f "$here/pom.xml" package >&2
      fi
      ;;
    command)
      local port=${2:?port}
      local extra=()
      [ -z "$broadcast" ] || extra=(--broadcast-path "$broadcast")
      # shellcheck disable=SC2086 # JVM_FLAGS is a list of flags, split on purpose
      printf '%s\n' "$JAVA" $JVM_FLAGS -jar "$jar" --host 127.0.0.1 --port "$port" --path /echo "${extra[@]}"
      ;;
    info)
      echo kind=jvm
      echo path=/echo
      echo "broadcast=$broadcast"
      echo "version=${label%% *} $(sed -n "s:.*<$version_property>\(.*\)</$version_property>.*:\1:p" "$here/pom.xml") ${label#* }"
      ;;
    *) echo "usage: $0 build|command PORT|info" >&2; exit 2 ;;
  esac
}
