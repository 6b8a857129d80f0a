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
