#!/usr/bin/env bash
# AVX2 (Zen 3) measurements of issue 14/15 targets on main; run with nothing else on the machine.
set -uo pipefail
# Usage: docs/results/2026-12-02-avx2/measure.sh [OUT] (default /tmp/avx2), after mvn -q -DskipTests package.
cd "$(dirname "$0")/../../.."
out="${1:-/tmp/avx2}"
mkdir -p "$out"
jar=bench/target/softmax4j-bench.jar
jv=(--enable-native-access=ALL-UNNAMED)
echo "start $(date -Is) load $(cut -d' ' -f1-3 /proc/loadavg)" > $out/log.txt
bench/run.sh paired $out/paired 2> $out/paired.err
echo "paired done $(date -Is)" >> $out/log.txt
java "${jv[@]}" -jar $jar SamplerBench -p rows=1 -p threads=1 -p backend=native,plain -f 3 -rf json -rff $out/sampler1.json > $out/sampler1.txt 2>&1
echo "sampler1 done $(date -Is)" >> $out/log.txt
java "${jv[@]}" -jar $jar SamplerBench -p rows=64 -p threads=1,2 -p backend=native -p sampler=greedy,topK50,topP0.9 -f 2 -rf json -rff $out/sampler64.json > $out/sampler64.txt 2>&1
echo "sampler64 done $(date -Is)" >> $out/log.txt
bench/run.sh kernels $out/kernels 2> $out/kernels.err
echo "kernels done $(date -Is) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $out/log.txt
