#!/usr/bin/env python3
"""The targets of issues 14 and 15 from one `bench/run.sh paired` run.

    python3 bench/targets_report.py DIR

DIR holds the run's JMH JSON files. Ratios come from PairedBench, which runs both sides of a
ratio in one JVM, call by call, and reports each side's time per iteration (secondary metrics
`a` and `b`): a ratio here is the median over all measured iterations of all forks of a / b, with
the range of the per-fork medians. ONNX Runtime and the absolute log-sum-exp time come from
SoftmaxBench and OnnxRuntimeBench forks (medians of all iterations of all forks, as
jmh_report.py gives them): their sides are separate JVMs, and carry the drift PairedBench avoids.
Needs only the standard library.
"""
import argparse
import glob
import json
import os
import statistics
import sys

# pair -> (target, how it is read); a pair's target holds at every shape and thread count listed
# in the issue (None: reported, no target).
PAIR_TARGETS = {
    "softmax/copy": 1.3,  # issue 14: softmax 4096x1000, 1 thread, <= 1.3x the copy
    "logSoftmax/softmax": 1.1,
    "float64/float32": 2.0,
    "bfloat16/float32": 0.6,
    "float16/float32": 0.6,
    "causal/unmasked": 0.6,  # issue 15: 2048x2048, 1 thread
}
# Where a target applies only to some cells: (pair, shape, threads) the issue names.
ONLY = {
    "softmax/copy": {("4096x1000", "1")},
    "causal/unmasked": {("2048x2048", "1")},
}
LSE_TARGET = 0.13  # ns per element, float32 4096x1000, 1 thread
UNIT_NS = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6}


def runs(directory):
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if text.strip():  # a part that did not finish leaves an empty file
            yield from json.loads(text)


def paired_rows(all_runs):
    rows = []
    for run in all_runs:
        if run["benchmark"].split(".")[-2] != "PairedBench":
            continue
        p = run["params"]
        sec = run["secondaryMetrics"]
        forks = [[a / b for a, b in zip(fa, fb) if b > 0]
                 for fa, fb in zip(sec["a"]["rawData"], sec["b"]["rawData"])]
        every = [r for f in forks for r in f]
        if not every:
            continue
        fork_medians = [statistics.median(f) for f in forks if f]
        rows.append((p["pair"], p["shape"], p["threads"], statistics.median(every), min(fork_medians),
                     max(fork_medians), len(forks), len(every)))
    return rows


def medians(all_runs):
    """{(class, op, dtype, shape, threads): ns per element, median of all iterations of all forks}"""
    out = {}
    for run in all_runs:
        cls = run["benchmark"].split(".")[-2]
        if cls not in ("SoftmaxBench", "OnnxRuntimeBench"):
            continue
        p = run["params"]
        m = run["primaryMetric"]
        rows, n = (int(v) for v in p["shape"].split("x"))
        ns = m["scorePercentiles"]["50.0"] * UNIT_NS[m["scoreUnit"]] / (rows * n)
        out[(cls, p.get("op", "softmax"), p.get("dtype", "float32"), p["shape"], p["threads"])] = ns
    return out


def verdict(value, target):
    return "–" if target is None else ("yes" if value <= target else "no")


def report(all_runs):
    out = ["Interleaved in one JVM (PairedBench): median of a / b over every iteration (range of the "
           "per-fork medians)", "",
           "| pair | shape | threads | a / b | forks × iterations | target | met |",
           "|---|---|---:|---:|---:|---:|---|"]
    order = list(PAIR_TARGETS)
    for pair, shape, threads, med, lo, hi, forks, its in sorted(
            paired_rows(all_runs), key=lambda r: (order.index(r[0]) if r[0] in order else 99, r[1], int(r[2]))):
        target = PAIR_TARGETS.get(pair)
        if pair in ONLY and (shape, threads) not in ONLY[pair]:
            target = None
        goal = "–" if target is None else f"≤ {target}"
        out.append(f"| {pair} | {shape.replace('x', '×')} | {threads} | **{med:.3f}** ({lo:.3f}–{hi:.3f}) "
                   f"| {forks} × {its // max(forks, 1)} | {goal} | {verdict(med, target)} |")
    med = medians(all_runs)
    lines = []
    for (cls, op, dtype, shape, threads), ns in sorted(med.items()):
        if cls == "SoftmaxBench" and op == "softmax" and dtype == "float32":
            ort = med.get(("OnnxRuntimeBench", "softmax", "float32", shape, threads))
            if ort is not None:
                lines.append(f"| softmax ÷ ONNX Runtime | {shape.replace('x', '×')} | {threads} | {ns:.4g} / {ort:.4g} "
                             f"| **{ns / ort:.3f}** | < 1 | {'yes' if ns < ort else 'no'} |")
        if cls == "SoftmaxBench" and op == "logSumExp" and dtype == "float32" and shape == "4096x1000" and threads == "1":
            lines.append(f"| log-sum-exp, ns per element | 4096×1000 | 1 | {ns:.4g} | **{ns:.3f}** | ≤ {LSE_TARGET} "
                         f"| {verdict(ns, LSE_TARGET)} |")
    if lines:
        out += ["", "Separate forks (SoftmaxBench, OnnxRuntimeBench): medians, ns per element", "",
                "| what | shape | threads | ns per element | ratio or value | target | met |",
                "|---|---|---:|---:|---:|---:|---|"] + lines
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("directory", help="the folder `bench/run.sh paired` wrote")
    a = ap.parse_args()
    all_runs = list(runs(a.directory))
    if not all_runs:
        raise SystemExit(f"targets_report.py: no JMH results in {a.directory}")
    print(report(all_runs))


if __name__ == "__main__":
    sys.exit(main())
