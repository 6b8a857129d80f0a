#!/usr/bin/env bash
# Builds and runs the JMH benchmarks of one module (sources in <module>/src/jmh/java, compiled only with -Pjmh).
#   scripts/jmh.sh <module> <regex> [jmh args...]
#   scripts/jmh.sh monitor-core BlockDecodeBenchmark.decode -f 1 -wi 3 -i 5
# Everything after the regex goes to JMH (org.openjdk.jmh.Main): -f forks, -wi/-i iterations, -w/-r times,
# -prof gc, -rf json -rff out.json, ... See docs/encoding.md, "Benchmarks".
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: scripts/jmh.sh <module> <regex> [jmh args...]" >&2
  exit 2
fi
module=$1 regex=$2
shift 2
if [ ! -d "$module/src/jmh/java" ]; then
  echo "scripts/jmh.sh: $module has no benchmarks ($module/src/jmh/java does not exist)" >&2
  exit 2
fi
. scripts/java-home.sh
# compile the module and what it needs with the benchmark sources, and write its test class path
./mvnw -B -q -P jmh -pl "$module" -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath
cp="$module/target/test-classes:$module/target/classes:$(cat "$module/target/jmh.classpath")"
# JMH forks its benchmark JVMs with this same class path
exec "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main "$regex" "$@"
