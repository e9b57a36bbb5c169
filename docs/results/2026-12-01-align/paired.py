import json,sys,statistics,glob,collections,re
# paired.py TAG [DIR]: per cell, new/base of the fork medians of each round (the jars alternated
# within a round, so a ratio within a round is not moved by drift between rounds), and their median.
tag=sys.argv[1]
d=collections.defaultdict(dict)
for f in glob.glob(f'{sys.argv[2] if len(sys.argv) > 2 else "."}/{tag}-*-r*.json'):
    jar,r=re.match(rf'{tag}-(.*)-r(\d+)\.json',f.split('/')[-1]).groups()
    for b in json.load(open(f)):
        p=b['params']; rows,n=map(int,p['shape'].split('x'))
        d[(p['op'],p['dtype'],p['shape'],p['threads'])][(jar,int(r))]=statistics.median(b['primaryMetric']['rawData'][0])/(rows*n)
for k,m in sorted(d.items()):
    rounds=sorted({r for _,r in m})
    rs=[m[('new',r)]/m[('base',r)] for r in rounds if ('new',r) in m and ('base',r) in m]
    print(' '.join(map(str,k)),'| new/base by round:',' '.join(f'{x:.2f}' for x in rs),'| median',f'{statistics.median(rs):.2f}')
