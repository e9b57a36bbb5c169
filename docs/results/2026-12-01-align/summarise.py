import json,sys,statistics,glob,collections,re
# summarise.py TAG [DIR]: per (op, dtype, shape, threads): each jar's median over its forks' medians (ns per element) and their range
tag=sys.argv[1]
d=collections.defaultdict(list)
jars=[]
for f in sorted(glob.glob(f'{sys.argv[2] if len(sys.argv) > 2 else "."}/{tag}-*-r*.json')):
    jar=re.match(rf'{tag}-(.*)-r\d+\.json',f.split('/')[-1]).group(1)
    if jar not in jars: jars.append(jar)
    for b in json.load(open(f)):
        p=b['params']; r,n=map(int,p['shape'].split('x'))
        for fk in b['primaryMetric']['rawData']:
            d[(p['op'],p['dtype'],p['shape'],p['threads'],jar)].append(statistics.median(fk)/(r*n))
keys=sorted({k[:4] for k in d})
print('op dtype shape threads | '+' | '.join(jars)+' | ratio last/first')
for k in keys:
    cells=[];meds=[]
    for j in jars:
        v=d.get(k+(j,),[])
        if not v: cells.append('-'); meds.append(None); continue
        m=statistics.median(v); meds.append(m)
        cells.append(f'{m:.3f} ({min(v):.3f}-{max(v):.3f}) n={len(v)}')
    ratio=f'{meds[-1]/meds[0]:.2f}' if meds[0] and meds[-1] else '-'
    print(' '.join(map(str,k)),'|',' | '.join(cells),'|',ratio)
