# Prints, per JMH result file, each case: the median of all its iterations, then each fork's median.
import json,sys,statistics as st
def load(f):
    out={}
    for r in json.load(open(f)):
        p=r['params']; key=(p['sampler'],p['backend'],p['rows'],p['threads'])
        raw=r['primaryMetric']['rawData']  # forks x iterations
        allv=[v for fork in raw for v in fork]
        out[key]=(st.median(allv),[st.median(f) for f in raw])
    return out
for f in sys.argv[1:]:
    d=load(f)
    for k,(m,fm) in d.items():
        print(f.split('/')[-1], *k, f"{m:.1f}", "forks", " ".join(f"{x:.1f}" for x in fm))
