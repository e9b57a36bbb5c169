#!/usr/bin/env bash
# The 4096 x 4096 runs of README.md, as they were run: the jars of run.sh as /tmp/ab2/A.jar and
# /tmp/ab2/B.jar, the JavaCPP caches and results under o.
o=/tmp/stream-res
for v in A B A B; do
  java --enable-native-access=ALL-UNNAMED -Dorg.bytedeco.javacpp.cachedir=$o/cache-$v -jar /tmp/ab2/$v.jar AttentionBench -p op=causal,unmasked -p size=4096 -p threads=1,2 -f 2 -rf json -rff $o/big-$v-$(date +%s).json > /dev/null 2>&1
  echo "$v $(date -Is)" >> $o/big.log
done
echo done >> $o/big.log
