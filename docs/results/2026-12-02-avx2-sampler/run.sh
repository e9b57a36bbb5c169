#!/usr/bin/env bash
# The A/B of this folder: B and C are the bench jars (bench/target/softmax4j-bench.jar after
# mvn -B -ntp -q -DskipTests package) of the two commits; run with nothing else on the machine.
# Usage: run.sh B_JAR C_JAR [OUT] (default /tmp/ab-res)
set -u
b="$1"; c="$2"; o="${3:-/tmp/ab-res}"
mkdir -p "$o"
jv=(--enable-native-access=ALL-UNNAMED)
echo "start $(date -Is) load $(cut -d' ' -f1-3 /proc/loadavg)" > "$o/log.txt"
for round in 1 2; do
  for v in B C; do
    if [ $v = B ]; then jar="$b"; else jar="$c"; fi
    java "${jv[@]}" -jar "$jar" SamplerBench -p rows=1 -p threads=1 -p backend=native -f 3 \
        -rf json -rff "$o/s1-$v-$round.json" > "$o/s1-$v-$round.txt" 2>&1
    echo "$v round $round done $(date -Is)" >> "$o/log.txt"
  done
done
java "${jv[@]}" -jar "$c" SamplerBench -p rows=1 -p threads=1 -p backend=plain -p sampler=topP0.9,T1 -f 3 \
    -rf json -rff "$o/plain.json" > "$o/plain.txt" 2>&1
java "${jv[@]}" -jar "$c" SamplerBench -p rows=64 -p threads=1,2 -p backend=native -p sampler=greedy,topK50,topP0.9 -f 2 \
    -rf json -rff "$o/s64-C.json" > "$o/s64-C.txt" 2>&1
echo "done $(date -Is) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$o/log.txt"
