#!/usr/bin/env bash
# softmax4j-spark against Spark ML (JMH, see SparkBench). Build first: mvn -q -DskipTests package.
# Run it on an otherwise idle machine. Extra arguments go to JMH, e.g.
#   bench/spark/run.sh -p data=digits          # the shipped digits data
#   bench/spark/run.sh -f 1 -p rows=100000     # a quick look
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cp_file="$here/target/classpath.txt"
if [[ ! -f "$cp_file" ]]; then
    echo "bench/spark: $cp_file not found; build first: mvn -q -DskipTests package" >&2
    exit 1
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" -cp "$here/target/classes:$(cat "$cp_file")" org.openjdk.jmh.Main SparkBench "$@"
