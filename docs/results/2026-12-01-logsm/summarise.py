# python3 summarise.py: the README's log-softmax A/B table from the JMH JSON files beside it
# (main-* = main 1b3abaf's jar, new-* = branch logsm; -r<N> = the quiet call).
import json, glob, os, statistics as st, sys, collections
# median of per-fork medians per (jar, op, dtype, shape, threads), pooled over rounds; and per round ratios
cells = collections.defaultdict(list); per_round = collections.defaultdict(dict)
for f in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), '*.json'))):
    tag = f.split('/')[-1][:-5]; jar, dt, rnd = tag.split('-')
    for b in json.load(open(f)):
        p = b['params']; rows, n = p['shape'].split('x'); el = int(rows) * int(n)
        forks = [st.median(fk) / el for fk in b['primaryMetric']['rawData']]
        key = (jar, p['op'], p['dtype'], p['shape'], p['threads'])
        cells[key] += forks
        per_round[(jar, rnd, p['dtype'], p['shape'], p['threads'])][p['op']] = st.median(forks)
for k in sorted(cells):
    v = cells[k]; print('%-5s %-10s %-7s %-10s %sT  %.4f (%.4f-%.4f) forks %d' % (*k, st.median(v), min(v), max(v), len(v)))
print()
for k in sorted(per_round):
    d = per_round[k]
    if 'softmax' in d and 'logSoftmax' in d: print('%-5s %s %s %-10s %sT  log/softmax %.3f' % (*k, d['logSoftmax'] / d['softmax']))
print()
for jar in ('main', 'new'):
    for dt in ('float32', 'float64'):
        for sh in ('4096x1000', '32x128256'):
            for t in ('1', '2'):
                s = cells.get((jar, 'softmax', dt, sh, t)); l = cells.get((jar, 'logSoftmax', dt, sh, t))
                if s and l: print('%-5s %s %-10s %sT pooled log/softmax %.3f' % (jar, dt, sh, t, st.median(l) / st.median(s)))
