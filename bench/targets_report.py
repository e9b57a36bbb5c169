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

import jmh_report

# pair -> its target, at every shape and thread count measured unless ONLY narrows it.
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


def result_files(directory):
    """The folder's JMH JSON files, but those a part that did not finish left empty."""
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        if os.path.getsize(path) > 0:
            yield path


def runs(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            yield from json.load(f)


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


def medians(paths):
    """{(backend, op, shape, threads): ns per element} of the float32 SoftmaxBench and
    OnnxRuntimeBench cells, as jmh_report.py reads them (median of all iterations of all forks)."""
    out = {}
    for path in paths:
        for r, _ in jmh_report.rows_of(path):
            if r["dtype"] == "float32" and "kind" not in r:
                out[(r["backend"], r["op"], f"{r['rows']}x{r['n']}", str(r["threads"]))] = r["ns_per_element"]
    return out


def verdict(value, target):
    return "–" if target is None else ("yes" if value <= target else "no")


def report(paths):
    out = ["Interleaved in one JVM (PairedBench): median of a / b over every iteration (range of the "
           "per-fork medians)", "",
           "| pair | shape | threads | a / b | forks × iterations | target | met |",
           "|---|---|---:|---:|---:|---:|---|"]
    order = list(PAIR_TARGETS)
    for pair, shape, threads, med, lo, hi, forks, its in sorted(
            paired_rows(runs(paths)), key=lambda r: (order.index(r[0]) if r[0] in order else 99, r[1], int(r[2]))):
        target = PAIR_TARGETS.get(pair)
        if pair in ONLY and (shape, threads) not in ONLY[pair]:
            target = None
        goal = "–" if target is None else f"≤ {target}"
        out.append(f"| {pair} | {shape.replace('x', '×')} | {threads} | **{med:.3f}** ({lo:.3f}–{hi:.3f}) "
                   f"| {forks} × {its // max(forks, 1)} | {goal} | {verdict(med, target)} |")
    med = medians(paths)
    lines = []
    for (backend, op, shape, threads), ns in sorted(med.items()):
        if backend == "native" and op == "softmax":
            ort = med.get(("onnxruntime", "softmax", shape, threads))
            if ort is not None:
                lines.append(f"| softmax ÷ ONNX Runtime | {shape.replace('x', '×')} | {threads} | {ns:.4g} / {ort:.4g} "
                             f"| **{ns / ort:.3f}** | < 1 | {'yes' if ns < ort else 'no'} |")
        if backend == "native" and op == "logSumExp" and shape == "4096x1000" and threads == "1":
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
    paths = list(result_files(a.directory))
    if not paths:
        raise SystemExit(f"targets_report.py: no JMH results in {a.directory}")
    print(report(paths))


if __name__ == "__main__":
    sys.exit(main())
