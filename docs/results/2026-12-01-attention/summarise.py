import json,sys,statistics,glob,collections,re
# summarise.py TAG [DIR] (here: fin): AttentionBench: per (op,threads,jar): median of per-fork medians (µs) and range; causal/unmasked per jar and per round.
# DIR: where the TAG-JAR-rN.json files are (default: this script's directory).
tag=sys.argv[1]
import os
d_=sys.argv[2] if len(sys.argv)>2 else os.path.dirname(os.path.abspath(__file__))
d=collections.defaultdict(list); per=collections.defaultdict(dict)
jars=[]
for f in sorted(glob.glob(f'{d_}/{tag}-*-r*.json')):
    m=re.match(rf'{tag}-(.*)-r(\d+)\.json',f.split('/')[-1]); jar,rnd=m.group(1),m.group(2)
    if jar not in jars: jars.append(jar)
    for b in json.load(open(f)):
        p=b['params']
        for fk in b['primaryMetric']['rawData']:
            v=statistics.median(fk); d[(p['op'],p['threads'],jar)].append(v); per[(jar,rnd,p['threads'])][p['op']]=v
ops=sorted({k[:2] for k in d})
print('op threads | '+' | '.join(jars))
for k in ops:
    cells=[]
    for j in jars:
        v=d.get(k+(j,),[])
        cells.append(f'{statistics.median(v):.0f} ({min(v):.0f}-{max(v):.0f}) n={len(v)}' if v else '-')
    print(*k,'|',' | '.join(cells))
print('causal/unmasked per fork:')
for (jar,rnd,t),o in sorted(per.items()):
    if 'causal' in o and 'unmasked' in o: print(f'  {jar} r{rnd} T{t}: {o["causal"]/o["unmasked"]:.3f}  (causal {o["causal"]:.0f}, unmasked {o["unmasked"]:.0f}, softmax {o.get("softmax",0):.0f})')
