# ratio.py FILE...: for each PairedBench result (pair, shape, threads): the median over all forks
# of the per-iteration ratio a / b, and the range of the per-fork medians.
import json, sys, statistics as st
for f in sys.argv[1:]:
    for r in json.load(open(f)):
        p=r['params']; sm=r['secondaryMetrics']
        a=sm['a']['rawData']; b=sm['b']['rawData']
        per=[[x/y for x,y in zip(fa,fb)] for fa,fb in zip(a,b)]
        allr=[v for fk in per for v in fk]
        print(f"{f.split('/')[-1]:22s} {p['pair']:20s} {p['shape']:11s} {p['threads']}T  {st.median(allr):.3f} ({min(st.median(x) for x in per):.3f}-{max(st.median(x) for x in per):.3f})")
