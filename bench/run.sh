#!/usr/bin/env bash
# Runs the JMH suite from the shaded jar and writes, into OUT (default bench/target/results):
# one JMH JSON file per part, results.jsonl (the suite's JSON lines) and results.md (tables).
#
#   bench/run.sh quick  [OUT] [JMH options...]   about 2 minutes: softmax, float32, 1 fork
#   bench/run.sh full   [OUT] [JMH options...]   about 35 minutes: everything, 3 forks
#   bench/run.sh readme [OUT] [JMH options...]   about 20 minutes: what README's Performance shows
#   bench/run.sh server [OUT] [JMH options...]   about 25 minutes: CallersBench at 1, 2, 4 and 16
#                                                callers, BusyCoreBench; tables by server_report.py
#   bench/run.sh kernels [OUT] [JMH options...]  about 6 minutes: the kernels beside the copy
#                                                baseline and ONNX Runtime (2 forks; issue 14)
#   bench/run.sh paired [OUT] [JMH options...]   about 9 minutes: the targets of issues 14 and
#                                                15, each ratio's sides interleaved in one JVM
#                                                (PairedBench); table by targets_report.py
#
# Build first: mvn -q -DskipTests package. Extra JMH options apply to every part (e.g. -f 5 for
# full), but JMH takes each option once: do not repeat one the mode sets (quick sets -f -wi -i -w
# -r; readme sets -f on its secondary parts).
# Parts: native (SoftmaxBench, backend=native), java (the pure-Java backend on the shapes it
# finishes in reasonable time, threads=1 since it is single-threaded), kinds (BufferKindBench)
# and onnxruntime (OnnxRuntimeBench).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/softmax4j-bench.jar"
mode="${1:-full}"
out="${2:-$here/target/results}"
shift $(( $# < 2 ? $# : 2 ))
[[ -f "$jar" ]] || { echo "run.sh: $jar not found; build first: mvn -q -DskipTests package" >&2; exit 1; }
mkdir -p "$out"
rm -f "$out"/*.json
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jvm=(--enable-native-access=ALL-UNNAMED)
# JDK 23+ warns when JMH calls sun.misc.Unsafe; the option that silences it is new in 23.
feature="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
[[ "$feature" =~ ^[0-9]+$ ]] && ((feature >= 23)) && jvm+=(--sun-misc-unsafe-memory-access=allow)

# What the numbers depend on, and how busy the machine was: others' work skews them.
{
    echo "date: $(date -Is)"
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, flags: $(grep -o 'avx512f\|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')"
    echo "java: $("$java" -version 2>&1 | head -1)"
    echo "mode: $mode ${*}"
} > "$out/machine.txt"

jmh() {  # jmh NAME ARGS...: one JMH run into $out/NAME.json
    local name="$1"; shift
    echo "=== $name: $*" >&2
    echo "$(date -Is) $name start, load average $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
    "$java" "${jvm[@]}" -jar "$jar" "$@" -rf json -rff "$out/$name.json" "${extra[@]}" >&2
    echo "$(date -Is) $name end, load average $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
}
extra=("$@")
# BufferKindBench's segment kind (MemorySegments) needs JDK 22+: below that, every other kind.
kinds=()
[[ "$feature" =~ ^[0-9]+$ ]] && ((feature < 22)) && kinds=(-p kind=array,shorthand,direct,pointer,matrix)
all_shapes=1x10,64x1000,4096x1000,256x32000,32x128256,1x1048576
java_shapes=1x10,64x1000,4096x1000,1x1048576
quick="-f 1 -wi 2 -i 3 -w 200ms -r 200ms"

case "$mode" in
    quick)
        # shellcheck disable=SC2086
        jmh native SoftmaxBench -p backend=native -p op=softmax -p dtype=float32 $quick
        # shellcheck disable=SC2086
        jmh java SoftmaxBench -p backend=java -p threads=1 -p op=softmax -p dtype=float32 -p shape=1x10,64x1000,4096x1000 $quick
        # shellcheck disable=SC2086
        jmh kinds BufferKindBench "${kinds[@]}" $quick
        # shellcheck disable=SC2086
        jmh onnxruntime OnnxRuntimeBench $quick
        ;;
    full)
        jmh native SoftmaxBench -p backend=native
        jmh java SoftmaxBench -p backend=java -p threads=1 -p shape=$java_shapes
        jmh kinds BufferKindBench "${kinds[@]}"
        jmh onnxruntime OnnxRuntimeBench
        ;;
    readme)
        # The main table with 3 forks; the other operations and float64 with 1.
        jmh native SoftmaxBench -p backend=native -p op=softmax -p dtype=float32
        jmh java SoftmaxBench -p backend=java -p threads=1 -p op=softmax -p dtype=float32 -p shape=$all_shapes
        jmh kinds BufferKindBench "${kinds[@]}"
        jmh onnxruntime OnnxRuntimeBench
        jmh native-more SoftmaxBench -p backend=native -p op=logSoftmax,logSumExp -p dtype=float32 -f 1
        jmh native-f64 SoftmaxBench -p backend=native -p dtype=float64 -f 1
        jmh java-more SoftmaxBench -p backend=java -p threads=1 -p shape=$java_shapes -p op=logSoftmax,logSumExp -p dtype=float32 -f 1
        ;;
    targets)  # ~10 minutes: the issue's targets, 3 forks each
        jmh native SoftmaxBench -p backend=native -p op=softmax,logSoftmax,logSumExp -p dtype=float32 \
            -p shape=1x10,4096x1000,1x1048576 -p threads=1,2
        jmh native-f64 SoftmaxBench -p backend=native -p op=softmax -p dtype=float64 -p shape=4096x1000 -p threads=1,2
        jmh java SoftmaxBench -p backend=java -p threads=1 -p op=softmax -p dtype=float32 -p shape=1x10,4096x1000
        jmh kinds BufferKindBench "${kinds[@]}"
        jmh onnxruntime OnnxRuntimeBench -p shape=1x10,4096x1000,1x1048576
        ;;
    server)  # README "Running inside a server": every policy in the same run, 3 forks each
        for t in 1 2 4 16; do jmh callers-t$t CallersBench -t $t; done
        jmh busy BusyCoreBench
        python3 "$here/server_report.py" "$out"/callers-t*.json "$out"/busy.json | tee "$out/server.md"
        echo "wrote $out/server.md" >&2
        exit 0
        ;;
    paired)  # ~9 minutes: the targets of issues 14 and 15, each ratio's two sides interleaved in one JVM
        # PairedBench runs both sides of a ratio call by call (bench/README.md, "Ratios on a shared
        # machine"); ONNX Runtime and the absolute log-sum-exp time from their own forks.
        jmh paired PairedBench -p pair=softmax/copy,logSoftmax/softmax,float64/float32 \
            -p shape=4096x1000,32x128256 -p threads=1,2
        jmh paired-half PairedBench -p pair=bfloat16/float32,float16/float32 -p shape=4096x1000 -p threads=1,2
        jmh paired-attention PairedBench -p pair=causal/unmasked -p shape=2048x2048 -p threads=1,2
        jmh native SoftmaxBench -p backend=native -p op=softmax,logSumExp -p dtype=float32 \
            -p shape=4096x1000,32x128256 -p threads=1,2
        jmh onnxruntime OnnxRuntimeBench -p shape=4096x1000,32x128256 -p threads=1,2
        python3 "$here/targets_report.py" "$out" | tee "$out/targets.md"
        echo "wrote $out/targets.md" >&2
        exit 0
        ;;
    kernels)  # ~6 minutes: each operation beside the copy of the same bytes, and the peer, one run
        k="-f 2 -wi 3 -i 5 -w 300ms -r 300ms"
        # shellcheck disable=SC2086
        jmh kernels SoftmaxBench -p backend=native -p op=softmax,logSoftmax,logSumExp,copy \
            -p dtype=float32,float64 -p shape=4096x1000,32x128256 -p threads=1,2 $k
        # shellcheck disable=SC2086
        jmh onnxruntime OnnxRuntimeBench -p shape=4096x1000,32x128256 -p threads=1,2 $k
        ;;
    *)
        echo "usage: bench/run.sh quick|full|readme|targets|server|kernels|paired [OUT] [JMH options...]" >&2
        exit 2
        ;;
esac

python3 "$here/jmh_report.py" "$out"/*.json > "$out/results.jsonl"
python3 "$here/jmh_report.py" --markdown "$out"/*.json $(ls "$out"/peers.jsonl 2>/dev/null) > "$out/results.md"
cat "$out/results.md"
echo "wrote $out/results.jsonl and $out/results.md" >&2
