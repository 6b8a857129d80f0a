# Sourced by ./run-tests, ./taintwatch and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Keeps a JAVA_HOME that is new enough; otherwise takes the newest JDK under /usr/lib/jvm.
_tw_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = \([0-9]*\).*/\1/p' | head -1; }
_tw_pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(_tw_java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(_tw_java_major "$d"); [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  if [ -z "$best" ]; then
    echo "taintwatch needs a JDK 21 or newer: none found (set JAVA_HOME)" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
_tw_pick_jdk
# Flags that silence what is expected of our dependencies on newer JDKs, for every JVM we start: RocksDB (Kafka Streams)
# loads a native library, and Kafka's lz4 and Maven's Guice use sun.misc.Unsafe's memory access (warned about from JDK 24).
TW_JAVA_MAJOR=$(_tw_java_major "$JAVA_HOME")
TW_JVM_FLAGS="--enable-native-access=ALL-UNNAMED"
if [ "${TW_JAVA_MAJOR:-0}" -ge 23 ] 2>/dev/null; then
  TW_JVM_FLAGS="$TW_JVM_FLAGS --sun-misc-unsafe-memory-access=allow"
  case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
  esac
fi
export TW_JVM_FLAGS
