#!/usr/bin/env python3
"""Tables of the inference benchmarks: SamplerBench and AttentionBench (JMH JSON) beside PyTorch's
sampler and attention softmax (compare.py --suite inference, JSON lines), with the ratios the
targets of issue 15 are stated in.

    python3 bench/inference_report.py sampler.json attention.json [inference-peers.jsonl ...]

Times are microseconds per call: the median over all measured iterations of all forks (JMH's 50th
percentile), with the range of the per-fork medians in brackets (how much a number moved between
JVMs). Needs only the standard library.
"""
import argparse
import json
import statistics
import sys

UNITS = {"us/op": 1.0, "ns/op": 1e-3, "ms/op": 1e3}


def results(paths):
    """{(bench, case, rows, threads, backend): (median us, [per-fork median us])}."""
    out = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            if path.endswith(".jsonl"):
                for line in f:
                    if line.strip():
                        r = json.loads(line)
                        if "bench" in r:
                            out[(r["bench"], r["case"], r["rows"], r["threads"], r["backend"])] = (r["us_per_call"], [])
                continue
            for run in json.load(f):
                bench = run["benchmark"].split(".")[-2]
                if bench not in ("SamplerBench", "AttentionBench"):
                    continue
                p = run["params"]
                m = run["primaryMetric"]
                unit = UNITS[m["scoreUnit"]]
                case = p["sampler"] if bench == "SamplerBench" else p["op"]
                rows = int(p["rows"]) if bench == "SamplerBench" else int(p["size"])
                forks = [statistics.median(f) * unit for f in m["rawData"]]
                out[(bench, case, rows, int(p["threads"]), p["backend"])] = (m["scorePercentiles"]["50.0"] * unit, forks)
    return out


def num(x):
    return f"{x:,.0f}" if x >= 1000 else f"{x:.4g}"


def cell(v):
    if v is None:
        return ""
    median, forks = v
    return f"{num(median)} ({num(min(forks))}–{num(max(forks))})" if len(forks) > 1 else num(median)


def ratio(a, b):
    return f"{a[0] / b[0]:.3g}" if a is not None and b is not None else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="JMH JSON files and compare.py --suite inference .jsonl files")
    r = results(ap.parse_args().files)
    g = r.get
    samplers = [c for c in ("greedy", "topK50", "topP0.9", "minP0.05") if any(k[:2] == ("SamplerBench", c) for k in r)]
    if samplers:
        print("\nSampler, one row of 128,256 float32 logits, 1 thread: µs per call (range of per-fork medians)\n")
        print("| sampler | native | java | plain Java | torch | plain / native | torch / native |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for c in samplers:
            n, j, p, t = (g(("SamplerBench", c, 1, 1, b)) for b in ("native", "java", "plain", "torch"))
            print(f"| {c} | {cell(n)} | {cell(j)} | {cell(p)} | {cell(t)} | {ratio(p, n)} | {ratio(t, n)} |")
        if any(k[0] == "SamplerBench" and k[2] == 64 for k in r):
            print("\nSampler, 64 rows, native: µs per call\n")
            print("| sampler | 1 thread | 2 threads | speed-up |")
            print("|---|---:|---:|---:|")
            for c in samplers:
                one, two = g(("SamplerBench", c, 64, 1, "native")), g(("SamplerBench", c, 64, 2, "native"))
                if one is None and two is None:
                    continue
                print(f"| {c} | {cell(one)} | {cell(two)} | {ratio(one, two)} |")
    sizes = sorted({k[2] for k in r if k[0] == "AttentionBench"})
    for size in sizes:
        threads = sorted({k[3] for k in r if k[0] == "AttentionBench" and k[2] == size})
        backends = sorted({k[4] for k in r if k[0] == "AttentionBench" and k[2] == size}, key=lambda b: b != "native")
        cols = [(b, t) for b in backends for t in threads if any(k[2:] == (size, t, b) for k in r if k[0] == "AttentionBench")]
        print(f"\nAttention softmax, {size} × {size} float32, scale 0.125: µs per call\n")
        print("| op | " + " | ".join(f"{b} ×{t}" for b, t in cols) + " |")
        print("|---|" + "---:|" * len(cols))
        for op in ("causal", "unmasked", "softmax", "causalCopy", "copy"):
            if not any(g(("AttentionBench", op, size, t, b)) for b, t in cols):
                continue
            print(f"| {op} | " + " | ".join(cell(g(("AttentionBench", op, size, t, b))) for b, t in cols) + " |")
        for num, den in (("causal", "unmasked"), ("causal", "softmax"), ("causalCopy", "unmasked")):
            print(f"| {num} / {den} | " + " | ".join(
                ratio(g(("AttentionBench", num, size, t, b)), g(("AttentionBench", den, size, t, b))) for b, t in cols) + " |")


if __name__ == "__main__":
    sys.exit(main())
