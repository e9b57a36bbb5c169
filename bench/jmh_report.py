#!/usr/bin/env python3
"""Turns JMH's JSON results (java -jar bench/target/softmax4j-bench.jar ... -rf json -rff F.json)
into the suite's JSON lines (see result_format.py), or into a Markdown table.

    python3 bench/jmh_report.py results.json [more.json ...] > results.jsonl
    python3 bench/jmh_report.py --markdown results.json ... [peers.jsonl ...]

Files ending in .jsonl are taken as results already (compare.py's output) and join the tables.

Each line's time is the median of all measurement iterations of all forks (JMH's 50th
percentile); --markdown also shows the range of the per-fork medians, a measure of how much
a number moved between JVMs. Needs only the standard library.
"""
import argparse
import json
import statistics
import sys

import result_format as fmt

BACKENDS = {"SoftmaxBench": None, "BufferKindBench": "native", "OnnxRuntimeBench": "onnxruntime"}


def rows_of(path):
    if path.endswith(".jsonl"):  # already results (compare.py, bin/softmax4j bench --json)
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line), []
        return
    with open(path, encoding="utf-8") as f:
        runs = json.load(f)
    for run in runs:
        cls = run["benchmark"].split(".")[-2]
        if cls not in BACKENDS:
            continue
        p = run["params"]
        unit = run["primaryMetric"]["scoreUnit"]
        if unit != "ns/op":
            raise SystemExit(f"{path}: {run['benchmark']} is in {unit}, expected ns/op (run with -tu ns)")
        rows, n = (int(v) for v in p["shape"].split("x"))
        median = run["primaryMetric"]["scorePercentiles"]["50.0"]
        forks = [statistics.median(f) for f in run["primaryMetric"]["rawData"]]
        extra = {"kind": p["kind"]} if cls == "BufferKindBench" else {}
        r = fmt.record(p.get("op", "softmax"), rows, n, p.get("dtype", "float32"), int(p.get("threads", 1)),
                       BACKENDS[cls] or p["backend"], median, **extra)
        yield r, [f / (rows * n) for f in forks]


def label(r):
    name = r["backend"] + (" " + r["kind"] if "kind" in r else "")
    return name if r["backend"] == "java" else f"{name} ×{r['threads']}"


RANK = ["native", "java", "onnxruntime", "scipy", "numpy", "torch"]


def order(r):
    """Columns: softmax4j first (backends, then buffer kinds), then the peers; threads ascending."""
    kinds = ["array", "direct", "pointer", "matrix"]
    b = RANK.index(r["backend"]) if r["backend"] in RANK else len(RANK)
    k = kinds.index(r["kind"]) + 1 if r.get("kind") in kinds else 0
    return (b if k == 0 else 1.5, k, r["threads"])


def markdown(results):
    out = []
    groups = {}
    for r, forks in results:
        groups.setdefault((r["op"], r["dtype"]), []).append((r, forks))
    for (op, dtype), rs in sorted(groups.items(), key=lambda g: ((fmt.OPS + (fmt.BASELINE,)).index(g[0][0]), g[0][1])):
        cols = [label(r) for r, _ in sorted(rs, key=lambda x: order(x[0]))]
        cols = list(dict.fromkeys(cols))
        shapes = sorted({(r["rows"], r["n"]) for r, _ in rs}, key=lambda s: (s[0] * s[1], s[0]))
        cell = {(label(r), (r["rows"], r["n"])): (r, f) for r, f in rs}
        out.append(f"\n{op}, {dtype}: median ns per element (range of per-fork medians)\n")
        out.append("| shape | " + " | ".join(cols) + " |")
        out.append("|---|" + "---:|" * len(cols))
        for s in shapes:
            cells = []
            for c in cols:
                if (c, s) not in cell:
                    cells.append("")
                    continue
                r, f = cell[(c, s)]
                cells.append(f"{r['ns_per_element']:.4g} ({min(f):.3g}–{max(f):.3g})" if len(f) > 1
                             else f"{r['ns_per_element']:.4g}")
            out.append(f"| {s[0]}×{s[1]} | " + " | ".join(cells) + " |")
    out.extend(copy_ratios(results))
    return "\n".join(out)


def copy_ratios(results):
    """Each operation's time over the copy of the same bytes (op=copy: same backend, shape,
    element type and threads, measured in the same run): the figure of merit of issue 14, since
    absolute times drift with the machine's state."""
    copy = {}
    for r, _ in results:
        if r["op"] == fmt.BASELINE and "kind" not in r:
            copy[(r["backend"], r["dtype"], r["rows"], r["n"], r["threads"])] = r["ns_per_element"]
    rows = {}
    for r, _ in results:
        key = (r["backend"], r["dtype"], r["rows"], r["n"], r["threads"])
        if r["op"] in fmt.OPS and "kind" not in r and key in copy:
            rows.setdefault(key, {})[r["op"]] = r["ns_per_element"] / copy[key]
    if not rows:
        return []
    out = ["\nTime over the copy of the same bytes (op=copy, same run)\n",
           "| backend | dtype | shape | threads | copy ns/elem | " + " | ".join(fmt.OPS) + " |",
           "|---|---|---|---:|---:|" + "---:|" * len(fmt.OPS)]
    for key in sorted(rows, key=lambda k: (k[0], k[1], k[2] * k[3], k[2], k[4])):
        b, d, nr, n, t = key
        cells = [f"{rows[key][op]:.2f}×" if op in rows[key] else "" for op in fmt.OPS]
        out.append(f"| {b} | {d} | {nr}×{n} | {t} | {copy[key]:.4g} | " + " | ".join(cells) + " |")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="JMH JSON result files (and, for --markdown, .jsonl results)")
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables instead of JSON lines")
    a = ap.parse_args()
    results = [x for path in a.files for x in rows_of(path)]
    if a.markdown:
        print(markdown(results))
    else:
        for r, _ in results:
            print(fmt.line(r))


if __name__ == "__main__":
    sys.exit(main())
