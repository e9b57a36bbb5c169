#!/usr/bin/env python3
"""Tables of the server benchmarks from JMH's JSON results, in Markdown.

    python3 bench/server_report.py callers-*.json busy.json [--baseline old-callers-*.json old-busy.json]

A file named *.gz is read through gzip (BusyCoreBench's sample histograms make its JSON large).

CallersBench (JMH -t = concurrent callers): calls per second across all callers, the median of
every measurement iteration of every fork, per workload, caller count and thread policy; then
default / max(1 thread, all cores), the target being >= 0.95.

BusyCoreBench (one caller, another process holding a core): the mean and percentiles of the time
per call under each policy, and the default's mean and p99 against the serial time of the same
call (the median at 1 thread under the same load); the targets being <= 1.2 and <= 2.

With --baseline, the same results of another version (e.g. main before the change) follow in
tables of their own. Needs only the standard library.
"""
import argparse
import gzip
import json
import statistics
import sys

POLICIES = ["default", "1", "all"]
POLICY_NAMES = {"default": "default", "1": "1 thread", "all": "all cores"}


def load(paths):
    callers, busy = {}, {}
    for path in paths:
        with (gzip.open if path.endswith(".gz") else open)(path, "rt", encoding="utf-8") as f:
            for run in json.load(f):
                cls = run["benchmark"].split(".")[-2]
                p = run["params"]
                metric = run["primaryMetric"]
                if cls == "CallersBench":
                    values = [v for fork in metric["rawData"] for v in fork]
                    forks = [statistics.median(fork) for fork in metric["rawData"]]
                    callers[(p["workload"], run["threads"], p["policy"])] = (statistics.median(values), forks)
                elif cls == "BusyCoreBench":
                    pct = metric["scorePercentiles"]
                    busy[(p["workload"], p["policy"])] = {
                        "mean": metric["score"], "p50": pct["50.0"], "p99": pct["99.0"], "p99.9": pct["99.9"],
                        "unit": metric["scoreUnit"], "n": sum(c for fork in metric["rawDataHistogram"]
                                                             for it in fork for _, c in it)}
    return callers, busy


def workloads_of(keys):
    seen = []
    for k in keys:
        if k[0] not in seen:
            seen.append(k[0])
    return seen


def callers_table(callers, title):
    out = [f"### {title}: calls per second across all callers (median)", "",
           "| workload | callers | default | 1 thread | all cores | default / best | per-fork range of default |",
           "|---|---:|---:|---:|---:|---:|---|"]
    worst = None
    for w in workloads_of(callers):
        for t in sorted({k[1] for k in callers if k[0] == w}):
            row = {pol: callers.get((w, t, pol)) for pol in POLICIES}
            cells = [f"{row[pol][0]:,.0f}" if row[pol] else "–" for pol in POLICIES]
            ratio = ""
            if all(row.values()):
                r = row["default"][0] / max(row["1"][0], row["all"][0])
                worst = r if worst is None else min(worst, r)
                ratio = f"{r:.3f}"
            spread = f"{min(row['default'][1]):,.0f}–{max(row['default'][1]):,.0f}" if row["default"] else ""
            out.append(f"| {w} | {t} | " + " | ".join(cells) + f" | {ratio} | {spread} |")
    if worst is not None:
        out += ["", f"Lowest default / best: {worst:.3f} (target >= 0.95)."]
    return "\n".join(out)


def busy_table(busy, title):
    out = [f"### {title}: one caller, another process holding one core (time per call)", "",
           "| workload | policy | mean | p50 | p99 | p99.9 | mean / serial | p99 / serial | calls |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for w in workloads_of(busy):
        serial = busy.get((w, "1"), {}).get("p50")
        for pol in POLICIES:
            b = busy.get((w, pol))
            if not b:
                continue
            unit = b["unit"].split("/")[0]
            ratios = (f"{b['mean'] / serial:.2f} | {b['p99'] / serial:.2f}" if serial else "– | –")
            out.append(f"| {w} | {POLICY_NAMES[pol]} | {b['mean']:,.1f} {unit} | {b['p50']:,.1f} | {b['p99']:,.1f} | "
                       f"{b['p99.9']:,.1f} | {ratios} | {b['n']:,} |")
    out += ["", "Serial time: the median at 1 thread under the same load. "
                "Targets for the default: mean / serial <= 1.2, p99 / serial <= 2."]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", nargs="+")
    ap.add_argument("--baseline", nargs="+", default=[])
    args = ap.parse_args()
    parts = []
    for label, paths in (("this version", args.results), ("baseline", args.baseline)):
        if not paths:
            continue
        callers, busy = load(paths)
        if callers:
            parts.append(callers_table(callers, label))
        if busy:
            parts.append(busy_table(busy, label))
    if not parts:
        sys.exit("no CallersBench or BusyCoreBench results in the files given")
    print("\n\n".join(parts))


if __name__ == "__main__":
    main()
