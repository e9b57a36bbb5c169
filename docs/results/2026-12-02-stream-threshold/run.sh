#!/usr/bin/env bash
# JMH A/B of this folder: A and B are the bench jars (bench/target/softmax4j-bench.jar after
# mvn -B -ntp -q -DskipTests package) of main before and after the change; run with nothing else
# on the machine. Each jar gets its own JavaCPP cache, so that neither loads the other's library.
# Usage: run.sh A_JAR B_JAR [OUT] (default /tmp/stream-res)
set -u
a="$1"; b="$2"; o="${3:-/tmp/stream-res}"
mkdir -p "$o"
echo "start $(date -Is) load $(cut -d' ' -f1-3 /proc/loadavg)" > "$o/log.txt"
for round in 1 2; do
  for v in A B; do
    if [ $v = A ]; then jar="$a"; else jar="$b"; fi
    jv=(--enable-native-access=ALL-UNNAMED "-Dorg.bytedeco.javacpp.cachedir=$o/cache-$v")
    java "${jv[@]}" -jar "$jar" PairedBench -p pair=causal/unmasked -p shape=2048x2048 -p threads=1,2 -f 2 \
        -rf json -rff "$o/paired-$v-$round.json" > "$o/paired-$v-$round.txt" 2>&1
    java "${jv[@]}" -jar "$jar" AttentionBench -p op=causal,unmasked -f 2 \
        -rf json -rff "$o/attention-$v-$round.json" > "$o/attention-$v-$round.txt" 2>&1
    echo "$v round $round done $(date -Is)" >> "$o/log.txt"
  done
done
echo "done $(date -Is) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$o/log.txt"
