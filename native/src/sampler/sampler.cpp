// Token sampling (softmax4j.h, SM4J_SAMPLE; the exact semantics are docs/sampling.md): each
// row of logits goes through penalties -> logit bias -> temperature -> top-k -> top-p -> min-p
// -> draw. Written once for float and double; the driver gives whole rows to threads, and a
// row's token depends only on its inputs and (seed, row, step), never on the thread count.
//
// How a row is done without sorting the vocabulary:
// - The penalties and the bias touch a sparse set of tokens (the "mods"). Nothing copies the
//   row: one pass (collect_ge) keeps the `need` largest raw logits, need = (K or 1) + mods,
//   which contain every token that can rank in the top K once the mods have their new values;
//   the mods then replace their raw entries. That pass also finds NaN and +inf.
// - Top-k keeps the candidates >= the K-th largest; their weights come from one kernel call.
// - Without top-k, top-p alone (no mods, no min-p) weighs the row once (top_p_split): a sample
//   of the row places a bracket first, and the one pass keeps every weight from the bracket's
//   bottom up, exact, and sums the others in floating point with a proven error bound; the
//   threshold is exact when no cumulative boundary lies within that bound of ceil(P total), and
//   otherwise one more pass computes the exact total. The draw weighs its block again. A
//   bracket that misses below ends in the next path.
// - Otherwise top-p without mods stores every weight of the row in the thread's workspace
//   (one pass, which also sums them); top-p's threshold is then found on the stored weights by
//   narrowing: a bucketed sample estimates it, one vector pass keeps the weights in a bracket
//   around the estimate (and sums the weight above it), sample ranks narrow the bracket, a
//   weighted quickselect finishes a small set; the draw is one more vector pass, and the token
//   is the index. An estimate that misses widens the bracket, and after that the exact
//   quickselect runs on the whole set.
// - Otherwise one pass (weigh) computes every token's weight and their sum, and collects the
//   tokens that min-p (and, with mods, top-p) may keep: for top-p, a guess (2^-14 of the
//   largest weight) checked once the total is known. Where the guess fails, a second pass
//   collects from a bound that cannot fail: every token below (total - ceil(P total)) / n
//   together weighs less than what top-p drops.
// - Weights are integers (weight_spec.hpp), so every sum is exact and order-free, and every
//   comparison (top-p's cumulative mass, min-p's ratio, the draw) is decided exactly.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "../driver.hpp"
#include "../kernels/kernel_set.hpp"
#include "../kernels/sample_kernels.hpp"
#include "../ops.hpp"
#include "../row_ops.hpp"
#include "philox.hpp"
#include "selection.hpp"
#include "softmax4j.h"
#include "weight_spec.hpp"

namespace sm4j {
namespace {

using sampling::draw_bits;
using sampling::ceil_mul;
using sampling::scale_draw;
using sampling::weighted_threshold;

// The sampler's parameters, in the compute type C where they enter the arithmetic.
template <class C>
struct Spec {
    bool greedy;
    C a;               // 1 / temperature, rounded to C (0 for an infinite temperature)
    int64_t top_k;     // 0: off
    double top_p;      // 1: off
    double min_p;      // 0: off
    C repetition, presence, frequency;
    bool penalised;    // any of the three is active
    const double *bias;  // bias_count (id, value) pairs; values rounded to C where added
    int64_t bias_count;
    uint64_t seed, step;
};

// A token whose logit the penalties or the bias change, with its new value.
template <class C>
struct Mod {
    int32_t id;
    C value;
};

// One thread's working memory, kept between calls (no allocation once it has grown).
template <class C>
struct Workspace {
    std::vector<C> vals, tmp, ws, kept_l, kept_w;
    std::vector<int32_t> ids, kept_id, hist;
    std::vector<int64_t> blocks, wq;
    std::vector<Mod<C>> mods, merged_mods;
    std::vector<Mod<C>> list;  // candidates after the mods: ids ascending
    std::vector<int64_t> mod_w;  // the mods' integer weights
    std::vector<int64_t> cand_w, scratch_q;
    std::vector<int32_t> cand_id;
    std::vector<C> narrow[2];       // the brackets of threshold()
    std::vector<int64_t> sample;
    std::vector<C> probe_x, probe_w;  // top_p_split's sample of the row and its weights
    std::vector<int64_t> block_end;

    static Workspace &get() {
        thread_local Workspace w;
        return w;
    }
};

template <class C>
void grow(std::vector<C> &v, int64_t n) {
    if (int64_t(v.size()) < n) v.resize(size_t(n));
}

// The mods of one row: penalties from its history, then the bias, in ascending id.
template <class C>
void build_mods(const Spec<C> &sp, const C *x, const int32_t *history, int64_t h, Workspace<C> &w) {
    w.mods.clear();
    if (sp.penalised && history != nullptr) {
        w.hist.clear();
        for (int64_t i = 0; i < h; ++i)
            if (history[i] >= 0) w.hist.push_back(history[i]);
        std::sort(w.hist.begin(), w.hist.end());
        for (size_t i = 0; i < w.hist.size();) {
            size_t j = i;
            while (j < w.hist.size() && w.hist[j] == w.hist[i]) ++j;
            const int32_t id = w.hist[i];
            C l = x[id];
            l = l > C(0) ? l / sp.repetition : l * sp.repetition;
            l = l - C(int64_t(j - i)) * sp.frequency;
            l = l - sp.presence;
            w.mods.push_back({id, l});
            i = j;
        }
    }
    if (sp.bias_count == 0) return;
    // Merge the bias (ascending, distinct ids) into the penalised tokens.
    w.merged_mods.clear();
    size_t i = 0;
    for (int64_t b = 0; b < sp.bias_count; ++b) {
        const int32_t id = int32_t(sp.bias[2 * b]);
        while (i < w.mods.size() && w.mods[i].id < id) w.merged_mods.push_back(w.mods[i++]);
        C l = x[id];
        if (i < w.mods.size() && w.mods[i].id == id) l = w.mods[i++].value;
        w.merged_mods.push_back({id, C(l + C(sp.bias[2 * b + 1]))});
    }
    while (i < w.mods.size()) w.merged_mods.push_back(w.mods[i++]);
    std::swap(w.mods, w.merged_mods);
}

// Fills w.vals/w.ids (ascending ids) with every raw x_i >= the need-th largest raw value (so at
// least min(need, n) entries, ties included). Returns false if the row holds NaN or +inf.
template <class C>
bool select_top(const SampleKernels<C> &k, const C *x, int64_t n, int64_t need, Workspace<C> &w,
                int64_t &count) {
    int64_t room = std::max<int64_t>(4 * need + kCollectSlack, 256);
    room = std::min<int64_t>(room, n + kCollectSlack);
    grow(w.vals, room + kCollectSlack);
    grow(w.ids, room + kCollectSlack);
    C t = -std::numeric_limits<C>::infinity();
    bool bad = false;
    count = 0;
    int64_t pos = 0;
    while (pos < n) {
        const Collected c = k.collect_ge(x + pos, n - pos, t, pos, w.vals.data() + count,
                                         w.ids.data() + count, room - count, &bad);
        count += c.count;
        pos += c.consumed;
        if (bad) return false;
        if (pos >= n) break;
        // Full: keep what is >= the need-th largest so far, and raise the threshold to it.
        grow(w.tmp, count);
        std::copy(w.vals.begin(), w.vals.begin() + count, w.tmp.begin());
        std::nth_element(w.tmp.begin(), w.tmp.begin() + (need - 1), w.tmp.begin() + count, std::greater<C>());
        t = w.tmp[size_t(need - 1)];
        int64_t kept = 0;
        for (int64_t i = 0; i < count; ++i) {
            if (w.vals[size_t(i)] >= t) {
                w.vals[size_t(kept)] = w.vals[size_t(i)];
                w.ids[size_t(kept)] = w.ids[size_t(i)];
                ++kept;
            }
        }
        count = kept;
        // Ties can keep more than need; make sure each refill has room for many more.
        if (count + kCollectSlack > room / 2) {
            room = std::min<int64_t>(2 * room, n + 2 * kCollectSlack);
            grow(w.vals, room + kCollectSlack);
            grow(w.ids, room + kCollectSlack);
        }
    }
    return true;
}

// w.list = the collected entries with the mods' values in place of their raw ones. False if a
// mod is NaN or +inf.
template <class C>
bool apply_mods(Workspace<C> &w, int64_t count) {
    w.list.clear();
    size_t m = 0;
    for (int64_t i = 0; i < count; ++i) {
        const int32_t id = w.ids[size_t(i)];
        while (m < w.mods.size() && w.mods[m].id < id) w.list.push_back(w.mods[m++]);
        if (m < w.mods.size() && w.mods[m].id == id) continue;  // the mod is inserted in order
        w.list.push_back({id, w.vals[size_t(i)]});
    }
    while (m < w.mods.size()) w.list.push_back(w.mods[m++]);
    for (const Mod<C> &d : w.mods)
        if (!(d.value < std::numeric_limits<C>::infinity())) return false;
    return true;
}

// Top-p and min-p on candidates (ids ascending, integer weights; kept in place) that hold every
// token of weight >= lo, then the draw. thr_p = ceil(P total) (0: off), thr_m = ceil(M 2^s)
// (0: off). Min-p goes first here: both filters keep the heaviest tokens, so cutting at thr_m
// and then applying top-p to what is left keeps the same set as the specification's order
// whenever top-p's threshold is >= thr_m, and when it is not (the mass >= thr_m is below
// thr_p), top-p keeps everything min-p keeps.
template <class C>
int32_t finish(Workspace<C> &w, int32_t *ids, int64_t *wq, int64_t n_cand, int64_t thr_p, int64_t thr_m,
               uint64_t bits) {
    const int64_t floor_w = std::max<int64_t>(thr_m, 1);
    int64_t m = 0, sum = 0;
    for (int64_t i = 0; i < n_cand; ++i) {
        if (wq[i] >= floor_w) {
            wq[m] = wq[i];
            ids[m] = ids[i];
            sum += wq[m];
            ++m;
        }
    }
    if (thr_p > 0 && sum >= thr_p) {
        grow(w.scratch_q, m);
        std::copy(wq, wq + m, w.scratch_q.begin());
        const int64_t t = weighted_threshold(w.scratch_q.data(), m, thr_p);
        int64_t k = 0;
        sum = 0;
        for (int64_t i = 0; i < m; ++i) {
            if (wq[i] >= t) {
                wq[k] = wq[i];
                ids[k] = ids[i];
                sum += wq[k];
                ++k;
            }
        }
        m = k;
    }
    const int64_t r = scale_draw(bits, sum);
    int64_t acc = 0;
    for (int64_t i = 0; i < m; ++i) {
        acc += wq[i];
        if (r < acc) return ids[i];
    }
    return -1;  // unreachable: r < sum
}

// With mods, top-p's first pass collects the tokens of weight >= 2^(s - kGuessBits) (the largest
// weighs 2^s). A flat row (N(0, 2^2) logits at T = 0.8 over 128,256 tokens: a nucleus of ~14,000 tokens down
// to 2^-11.5 .. 2^-13.5 of the largest weight, depending on the row) fits with room to spare;
// only flatter rows need the second pass.
constexpr int kGuessBits = 14;

// The smallest C >= v (v >= 0 an integer below 2^53): for a weight ws, trunc(ws) >= v exactly
// when ws >= it.
template <class C>
C at_least(int64_t v) {
    C t = C(v);
    if (double(t) < double(v)) t = std::nextafter(t, std::numeric_limits<C>::infinity());
    return t;
}

// Candidates to estimate a threshold from, and how far either side of the estimate (in sample
// ranks) a bracket reaches. 2 x 16 of 256 keeps ~1/8 of the candidates per round.
constexpr int kSample = 256;
constexpr int kReach = 16;
// Sets larger than kHistMin (a whole row of stored weights) are first bracketed from a larger
// sample, kHistSample of them, weighed by buckets of 1/8 octave (the float's exponent and top 3
// mantissa bits) rather than sorted: the sample lands the boundary within a few buckets, and a
// bracket of 2 kBucketReach + 1 buckets keeps ~1/20 of a flat row in one pass.
constexpr int64_t kHistMin = 16 * kSample;
constexpr int kHistSample = 2048;
constexpr int kBuckets = 512;
constexpr int kBucketReach = 3;

// A float's bucket key: its bits without the low mantissa bits (weights are >= 0, so the key
// grows with the value), and the smallest value of a key.
template <class C>
uint64_t bucket_key(C v) {
    using Bits = typename sampling::WeightSpec<C>::Bits;
    Bits b;
    std::memcpy(&b, &v, sizeof b);
    return uint64_t(b) >> (sizeof(C) == 4 ? 20 : 49);
}

template <class C>
C bucket_floor(uint64_t key) {
    using Bits = typename sampling::WeightSpec<C>::Bits;
    const Bits b = Bits(key << (sizeof(C) == 4 ? 20 : 49));
    C v;
    std::memcpy(&v, &b, sizeof v);
    return v;
}

// A bracket [a, b] of integer weights (members a <= W <= b; capped: b is finite, and the
// weights > b lie above) estimated to hold top-p's threshold.
struct Estimate {
    int64_t a, b;
    bool capped, ok;
};

// From the sample's weight by bucket: the bucket where its cumulative weight, heaviest first,
// reaches the fraction f of the sample's weight, widened by `reach` buckets either side.
template <class C>
Estimate estimate_by_buckets(const C *ws, int64_t m, int64_t lo, double f, int reach) {
    // Four running maxima, and two histograms and totals taken in turn: a single max, sum or
    // bucket hit twice in a row would set the loops' pace with its latency.
    C tops[4] = {};
    for (int j = 0; j < kHistSample; j += 4)
        for (int u = 0; u < 4; ++u) tops[u] = std::max(tops[u], ws[(j + u) * m / kHistSample]);
    const C top = std::max(std::max(tops[0], tops[1]), std::max(tops[2], tops[3]));
    if (!(top >= C(1))) return {0, 0, false, false};
    const uint64_t top_key = bucket_key(top);
    const C lo_c = at_least<C>(lo);  // trunc(v) >= lo
    double hist[2][kBuckets] = {};
    double total0 = 0, total1 = 0;
    auto bucket = [&](C v) {
        const uint64_t d = top_key - bucket_key(v);
        return d < uint64_t(kBuckets) ? d : uint64_t(kBuckets - 1);
    };
    for (int j = 0; j < kHistSample; j += 2) {
        const C v0 = ws[j * m / kHistSample], v1 = ws[(j + 1) * m / kHistSample];
        if (v0 >= lo_c) {
            hist[0][bucket(v0)] += double(v0);
            total0 += double(v0);
        }
        if (v1 >= lo_c) {
            hist[1][bucket(v1)] += double(v1);
            total1 += double(v1);
        }
    }
    const double total = total0 + total1;
    if (total == 0) return {0, 0, false, false};
    int c = kBuckets - 1;
    double acc = 0;
    for (int j = 0; j < kBuckets; ++j) {
        acc += hist[0][j] + hist[1][j];
        if (acc >= f * total) {
            c = j;
            break;
        }
    }
    Estimate e{lo, 0, false, true};
    const int bottom = c + reach;  // the lowest bucket kept
    if (bottom < kBuckets - 1 && uint64_t(bottom) <= top_key)
        e.a = std::max<int64_t>(lo, int64_t(bucket_floor<C>(top_key - uint64_t(bottom))));
    if (c - reach >= 1) {
        // Above: the buckets heavier than c - reach, i.e. from the floor of bucket c - reach - 1.
        e.capped = true;
        e.b = int64_t(bucket_floor<C>(top_key - uint64_t(c - reach - 1))) - 1;
        if (e.b < e.a) e.b = e.a;  // tiny weights: buckets narrower than an integer
    }
    return e;
}

// Top-p's threshold t = max{v : the weight of the candidates >= v is >= need} over the candidates
// ws[0, m) of weight >= lo (whose weight, `mass`, is >= need); *kept = the weight >= t, and
// *at_t (if asked) the weight equal to t.
// by_buckets: estimate by buckets first (a whole row); false for a set already bracketed.
template <class C>
int64_t threshold(const SampleKernels<C> &k, Workspace<C> &w, const C *ws, int64_t m, int64_t lo,
                  int64_t mass, int64_t need, int64_t *kept, bool by_buckets, int64_t *at_t = nullptr) {
    int64_t above = 0;  // the weight of the candidates above the current set (all heavier)
    by_buckets = by_buckets && m > kHistMin;
    int reach = by_buckets ? kBucketReach : kReach;
    int next = 0;
    while (m > 4 * kSample) {
        // Where the sample's cumulative weight reaches the fraction of `mass` that is still needed.
        const double f = double(need - above) / double(mass);
        int64_t a, b;
        bool capped;
        if (by_buckets) {
            const Estimate e = estimate_by_buckets(ws, m, lo, f, reach);
            if (!e.ok) {
                by_buckets = false;
                reach = kReach;
                continue;
            }
            a = e.a;
            b = e.b;
            capped = e.capped;
        } else {
            // Every (m / kSample)-th candidate of weight >= lo, heaviest first.
            w.sample.clear();
            for (int j = 0; j < kSample; ++j) {
                const int64_t q = int64_t(ws[j * m / kSample]);
                if (q >= lo) w.sample.push_back(q);
            }
            if (w.sample.empty()) break;
            std::sort(w.sample.begin(), w.sample.end(), std::greater<int64_t>());
            double total = 0;
            for (int64_t q : w.sample) total += double(q);
            double acc = 0;
            int64_t at = int64_t(w.sample.size()) - 1;
            for (size_t j = 0; j < w.sample.size(); ++j) {
                acc += double(w.sample[j]);
                if (acc >= f * total) {
                    at = int64_t(j);
                    break;
                }
            }
            const int64_t last = int64_t(w.sample.size()) - 1;
            a = at + reach <= last ? w.sample[size_t(at + reach)] : lo;
            capped = at - reach >= 0;
            b = capped ? w.sample[size_t(at - reach)] : 0;
        }
        const C inf = std::numeric_limits<C>::infinity();
        const C cb = capped ? at_least<C>(b + 1) : inf;  // the bracket is [a, b]; b + 1 and up lie above
        const C cb_le = capped ? std::nextafter(cb, C(0)) : std::numeric_limits<C>::max();
        std::vector<C> &out = w.narrow[next];
        grow(out, m + kCollectSlack);
        const Weighed br = k.bracket(ws, m, at_least<C>(a), cb, cb_le, out.data());
        const int64_t in = k.mass_ge(out.data(), br.count, C(0));
        if (above + br.total < need && above + br.total + in >= need) {
            if (br.count == m) break;  // no narrower: the sample saw too little of this set
            above += br.total;
            ws = out.data();
            m = br.count;
            mass = in;
            lo = a;
            next ^= 1;
            by_buckets = false;  // the sample ranks narrow a set of a few buckets better
            reach = kReach;
        } else if (reach < (by_buckets ? 16 * kBucketReach : 4 * kReach)) {
            reach *= 4;  // the estimate missed: once more, wider
        } else if (by_buckets) {
            by_buckets = false;  // the buckets missed twice: sample ranks from here
            reach = kReach;
        } else {
            break;
        }
    }
    // A weighted quickselect on what is left.
    grow(w.scratch_q, m);
    int64_t c = 0;
    for (int64_t j = 0; j < m; ++j) {
        const int64_t q = int64_t(ws[j]);
        if (q >= lo) w.scratch_q[size_t(c++)] = q;
    }
    const int64_t t = weighted_threshold(w.scratch_q.data(), c, need - above);
    int64_t sum = above, equal = 0;  // every candidate of weight t is in the last set
    for (int64_t j = 0; j < c; ++j) {
        if (w.scratch_q[size_t(j)] >= t) sum += w.scratch_q[size_t(j)];
        if (w.scratch_q[size_t(j)] == t) equal += t;
    }
    *kept = sum;
    if (at_t != nullptr) *at_t = equal;
    return t;
}

// Min-p alone, on the candidates of a weigh pass as it left them (no mods: ids ascending, the
// weights as the C values whose trunc they are; every token of weight >= lo is one): the draw.
template <class C>
int32_t draw_collected(const SampleKernels<C> &k, Workspace<C> &w, int64_t m, int64_t lo, uint64_t bits) {
    const C *ws = w.kept_w.data();
    const C t = at_least<C>(lo);
    const int64_t i = k.draw_at(ws, m, t, scale_draw(bits, k.mass_ge(ws, m, t)));
    return i < m ? w.kept_id[size_t(i)] : -1;  // i < m: the draw is below the kept weight
}

// The largest C <= lo: ws >= it holds exactly for the weights trunc(ws) >= lo, and some
// below, which candidates() drops.
template <class C>
C threshold_of(int64_t lo) {
    C t = C(lo);
    if (double(t) > double(lo)) t = std::nextafter(t, C(0));
    return t;
}

// The collected (ws, id) as integer weights in w.cand_w / w.cand_id, those below lo dropped, the
// mods' raw entries replaced by their own weights (ids stay ascending). Returns the count.
template <class C>
int64_t candidates(Workspace<C> &w, int64_t got, int64_t lo) {
    const int64_t cap = got + int64_t(w.mods.size());
    grow(w.cand_w, cap);
    grow(w.cand_id, cap);
    int64_t *cw = w.cand_w.data();
    int32_t *ci = w.cand_id.data();
    int64_t m = 0;
    size_t d = 0;
    auto add_mod = [&](size_t j) {
        if (w.mod_w[j] >= lo) {
            ci[m] = w.mods[j].id;
            cw[m] = w.mod_w[j];
            ++m;
        }
    };
    for (int64_t i = 0; i < got; ++i) {
        const int32_t id = w.kept_id[size_t(i)];
        for (; d < w.mods.size() && w.mods[d].id < id; ++d) add_mod(d);
        if (d < w.mods.size() && w.mods[d].id == id) continue;  // a mod: added in order above
        const int64_t q = int64_t(w.kept_w[size_t(i)]);
        if (q >= lo) {
            ci[m] = id;
            cw[m] = q;
            ++m;
        }
    }
    for (; d < w.mods.size(); ++d) add_mod(d);
    return m;
}

template <class C>
int32_t sample_all(const Spec<C> &sp, const SampleKernels<C> &k, const C *x, int64_t n, C mx,
                   uint64_t bits, Workspace<C> &w);

template <class C>
int32_t sample_row(const Spec<C> &sp, const SampleKernels<C> &k, const C *x, int64_t n,
                   const int32_t *history, int64_t h, uint64_t row) {
    if (n == 0) return -1;
    Workspace<C> &w = Workspace<C>::get();
    build_mods(sp, x, history, h, w);
    const bool top_k = sp.top_k > 0 && sp.top_k < n;
    const int64_t need = std::min<int64_t>((top_k ? sp.top_k : 1) + int64_t(w.mods.size()), n);
    int64_t count;
    if (!select_top(k, x, n, need, w, count)) return -1;
    if (!apply_mods(w, count)) return -1;
    C mx = -std::numeric_limits<C>::infinity();
    for (const Mod<C> &e : w.list) mx = std::max(mx, e.value);
    if (mx == -std::numeric_limits<C>::infinity()) return -1;  // all -inf
    if (sp.greedy) {
        for (const Mod<C> &e : w.list)
            if (e.value == mx) return e.id;  // the lowest id of the maximum
    }
    const uint64_t bits = draw_bits(sp.seed, row, sp.step);
    if (top_k) {
        // The K-th largest after the mods, and every candidate >= it.
        grow(w.tmp, int64_t(w.list.size()));
        for (size_t i = 0; i < w.list.size(); ++i) w.tmp[i] = w.list[i].value;
        std::nth_element(w.tmp.begin(), w.tmp.begin() + (sp.top_k - 1), w.tmp.begin() + int64_t(w.list.size()),
                         std::greater<C>());
        const C kth = w.tmp[size_t(sp.top_k - 1)];
        int64_t c = 0;
        grow(w.kept_l, int64_t(w.list.size()));
        grow(w.kept_id, int64_t(w.list.size()));
        for (const Mod<C> &e : w.list) {
            if (e.value >= kth) {
                w.kept_l[size_t(c)] = e.value;
                w.kept_id[size_t(c)] = e.id;
                ++c;
            }
        }
        const int s = sampling::weight_shift(c);
        grow(w.kept_w, c);
        grow(w.wq, c);
        const int64_t total =
                k.weigh(w.kept_l.data(), c, mx, sp.a, s, w.kept_w.data(), nullptr, C(0), nullptr, nullptr, 0).total;
        for (int64_t i = 0; i < c; ++i) w.wq[size_t(i)] = int64_t(w.kept_w[size_t(i)]);
        const int64_t thr_p = sp.top_p < 1 ? ceil_mul(sp.top_p, total) : 0;
        const int64_t thr_m = sp.min_p > 0 ? int64_t(std::ceil(std::ldexp(sp.min_p, s))) : 0;
        return finish(w, w.kept_id.data(), w.wq.data(), c, thr_p, thr_m, bits);
    }
    return sample_all(sp, k, x, n, mx, bits, w);
}

// The weight of one value, as the kernels compute it.
template <class C>
int64_t weight_of(const SampleKernels<C> &k, C v, C mx, C a, int s) {
    C ws;
    k.weigh(&v, 1, mx, a, s, &ws, nullptr, C(0), nullptr, nullptr, 0);
    return int64_t(ws);
}

// Top-p (and min-p with it) over the whole vocabulary without mods. One pass stores every weight
// in this thread's workspace (the whole row: 513 KB at 128,256 float logits, which stays in a
// 1 MB L2 beside the row) and sums them; the threshold is then narrowed on the stored weights
// (threshold(): a sample estimates it, vector passes keep a bracket around the estimate and sum
// the weight above it, a weighted quickselect finishes), and the draw walks them. The token is
// its index: nothing is collected, converted or copied, and there is no guess to check.
// Profiled (callgrind, 128,256 N(0, 2^2) logits, T = 0.8, top-p 0.9): the collecting pass of
// sample_all took twice the instructions of a storing one (one append per vector, as ~1/3 of
// the tokens passed its guess), and the candidates were then passed over again.
template <class C>
int32_t top_p_stored(const Spec<C> &sp, const SampleKernels<C> &k, const C *x, int64_t n, C mx, int s,
                     int64_t thr_m, uint64_t bits, Workspace<C> &w) {
    C *ws = w.kept_w.data();
    const int64_t total = k.weigh(x, n, mx, sp.a, s, ws, nullptr, C(0), nullptr, nullptr, 0).total;
    const int64_t thr_p = ceil_mul(sp.top_p, total);
    // Min-p first, as in finish(): both keep the heaviest tokens.
    const int64_t lo = std::max<int64_t>(thr_m, 1);
    const int64_t mass = lo > 1 ? k.mass_ge(ws, n, at_least<C>(lo)) : total;  // W = 0 adds nothing
    int64_t t = lo, kept = mass;
    if (mass >= thr_p) t = threshold(k, w, ws, n, lo, mass, thr_p, &kept, true);
    const int64_t i = k.draw_at(ws, n, at_least<C>(t), scale_draw(bits, kept));
    return i < n ? int32_t(i) : -1;  // i < n: the draw is below the kept weight
}

// Top-p alone over the whole vocabulary without mods, in one pass over the row that needs no
// exact total. The cut depends on the total Z only through need = ceil(P Z), and once lo is
// below the threshold the members (every token of weight >= lo) are all that top-p can keep;
// the tokens below lo only add to Z. So, after a sample of kHistSample logits has placed a
// bracket by buckets (estimate_by_buckets: the fraction of the weight to reach is P, whatever
// the total), one pass (weigh_keep) keeps the members' weights, exact, and sums the others' in
// floating point with a proven bound (kRestError; no conversion to integers): Z lies in
// [z_lo, z_hi] and need in [need_lo, need_hi]. The threshold t found for need_hi (the bracket
// narrowed among the members by threshold()) is top-p's threshold for every need in that range
// exactly when the weight above t is below need_lo: that is checked, and where it fails (a
// cumulative boundary within the bound, 2^-19 of the weight below lo, of need) one more pass
// computes the exact total. The draw finds its block from the members, then weighs that block again
// (bit for bit the same weights) and walks it.
// The sample sees 1 token in 62 of a 128k row: where few of its tokens lie above the bracket
// (a heavy head, or a small nucleus), the bracket's top is not trusted, and the threshold is
// narrowed among all the members. A bracket whose bottom is too high (the members do not reach
// need) returns -2: the caller runs top_p_stored, which is exact whatever the row.
// Measured against the previous form (one pass that summed every weight as an exact integer:
// two conversions and up to four integer adds per vector, and a compare with the bracket's
// top): the pass is ~24% shorter, and rows whose bracket top was too low need no second pass.
constexpr int kMinHeavier = 64;

template <class C>
int32_t top_p_split(const Spec<C> &sp, const SampleKernels<C> &k, const C *x, int64_t n, C mx, int s,
                    uint64_t bits, Workspace<C> &w) {
    constexpr int32_t kMissed = -2;
    grow(w.probe_x, kHistSample);
    grow(w.probe_w, kHistSample);
    for (int j = 0; j < kHistSample; ++j) w.probe_x[size_t(j)] = x[j * n / kHistSample];
    k.weigh(w.probe_x.data(), kHistSample, mx, sp.a, s, w.probe_w.data(), nullptr, C(0), nullptr, nullptr, 0);
    const Estimate e = estimate_by_buckets(w.probe_w.data(), kHistSample, 1, sp.top_p, kBucketReach);
    if (!e.ok) return kMissed;
    int heavier = 0;  // sample tokens above the bracket: too few, and its top is not trusted
    if (e.capped) {
        const C above = at_least<C>(e.b + 1);  // trunc(v) > e.b
        for (int j = 0; j < kHistSample; ++j) heavier += w.probe_w[size_t(j)] >= above;
    }
    const int64_t blocks = (n + kSumBlock - 1) / kSumBlock;
    grow(w.block_end, blocks);
    C *members = w.kept_w.data();  // n + kCollectSlack entries (sample_all)
    const int64_t lo = e.a;
    const Kept kp = k.weigh_keep(x, n, mx, sp.a, s, at_least<C>(lo), members, w.block_end.data());
    // The members' exact weight; with a trusted top, also the bracket [lo, e.b] among them (the
    // threshold's first narrowing round, as the sample placed it) and the weight above it.
    const bool capped = e.capped && heavier >= kMinHeavier;
    int64_t in = 0, above = 0, in_br = 0;
    Weighed br{0, 0, false};
    if (capped) {
        const C cb = at_least<C>(e.b + 1);
        grow(w.tmp, kp.count + kCollectSlack);
        br = k.bracket(members, kp.count, at_least<C>(lo), cb, std::nextafter(cb, C(0)), w.tmp.data());
        above = br.total;
        in_br = k.mass_ge(w.tmp.data(), br.count, C(0));
        in = above + in_br;
    } else {
        in = k.mass_ge(members, kp.count, C(0));  // every member is >= lo >= 1
    }
    // The rest's integer weight: within [rest (1 - e) - n, rest (1 + e)], e = kRestError; twice e
    // here covers the roundings of these products (2^-53 each). Every one of the n - count
    // tokens weighs at most lo - 1, which caps it exactly (and keeps the sums below 2^63).
    const int64_t cap = (n - kp.count) * (lo - 1);
    const double rest_hi = std::ceil(kp.rest * (1 + 2 * kRestError)) + 1;
    const double rest_lo = std::floor(kp.rest * (1 - 2 * kRestError)) - double(n) - 1;
    const int64_t z_hi = in + (rest_hi < double(cap) ? int64_t(rest_hi) : cap);
    const int64_t z_lo = in + (rest_lo > 0 ? std::min(int64_t(rest_lo), cap) : 0);
    const int64_t need_hi = ceil_mul(sp.top_p, z_hi), need_lo = ceil_mul(sp.top_p, z_lo);
    if (in < need_hi) return kMissed;
    int64_t kept, at_t, t;
    if (capped && above < need_hi && above + in_br >= need_hi) {
        t = threshold(k, w, w.tmp.data(), br.count, lo, in_br, need_hi - above, &kept, false, &at_t);
        kept += above;
    } else {
        t = threshold(k, w, members, kp.count, lo, in, need_hi, &kept, true, &at_t);
    }
    if (kept - at_t >= need_lo) {
        // A boundary within the bound: the weight above t reaches need_lo, so some need in
        // [need_lo, need_hi] has a higher threshold. The exact total decides.
        const int64_t z = k.weigh(x, n, mx, sp.a, s, nullptr, nullptr, C(0), nullptr, nullptr, 0).total;
        const int64_t need = ceil_mul(sp.top_p, z);
        if (need > in) return kMissed;  // not with the bound above; top_p_stored is exact anyway
        if (need != need_hi) t = threshold(k, w, members, kp.count, lo, in, need, &kept, true);
    }
    // The draw: the block where the kept weight, in increasing id, passes r ...
    const C ct = at_least<C>(t);
    const int64_t r = scale_draw(bits, kept);
    int64_t acc = 0, j = 0, from = 0;
    for (;; ++j) {
        if (j == blocks) return -1;  // unreachable: r < kept
        const int64_t to = w.block_end[size_t(j)];
        const int64_t mass = k.mass_ge(members + from, to - from, ct);
        from = to;
        if (r < acc + mass) break;
        acc += mass;
    }
    // ... and the token in it, from its weights computed again.
    const int64_t first = j * kSumBlock, len = std::min(kSumBlock, n - first);
    grow(w.ws, kSumBlock);
    k.weigh(x + first, len, mx, sp.a, s, w.ws.data(), nullptr, C(0), nullptr, nullptr, 0);
    const int64_t i = k.draw_at(w.ws.data(), len, ct, r - acc);
    return i < len ? int32_t(first + i) : -1;  // i < len: the draw is below the block's mass
}

// Sampling over the whole vocabulary (no top-k). One pass weighs every token, sums the weights
// per block, and collects the tokens that top-p and min-p may keep; the mods then replace their
// raw weights.
template <class C>
int32_t sample_all(const Spec<C> &sp, const SampleKernels<C> &k, const C *x, int64_t n, C mx,
                   uint64_t bits, Workspace<C> &w) {
    const int s = sampling::weight_shift(n);
    const bool filtered = sp.top_p < 1 || sp.min_p > 0;
    const int64_t thr_m = sp.min_p > 0 ? int64_t(std::ceil(std::ldexp(sp.min_p, s))) : 0;
    // What to collect before the total is known (top-p with mods): min-p keeps nothing below
    // thr_m; top-p, on distributions with a head, nothing below 2^-14 of the largest weight. That guess is
    // checked once the total is known (the candidates' mass must reach ceil(P total)), and a
    // second pass with a bound that cannot fail replaces it where it does not hold.
    const int64_t floor_w = std::max<int64_t>(thr_m, 1);
    int64_t lo = floor_w;
    if (sp.top_p < 1) lo = std::max<int64_t>(lo, (int64_t(1) << s) >> kGuessBits);
    // Room for the whole row: a pass never overflows (the buffers grow once per thread).
    grow(w.kept_w, n + kCollectSlack);
    if (sp.top_p < 1 && w.mods.empty()) {
        if (thr_m == 0 && n > kHistMin) {
            const int32_t token = top_p_split(sp, k, x, n, mx, s, bits, w);
            if (token != -2) return token;
        }
        return top_p_stored(sp, k, x, n, mx, s, thr_m, bits, w);
    }
    const int64_t blocks = (n + kSumBlock - 1) / kSumBlock;
    grow(w.blocks, blocks);
    grow(w.kept_id, n + kCollectSlack);
    Weighed pass = k.weigh(x, n, mx, sp.a, s, nullptr, w.blocks.data(), threshold_of<C>(lo),
                           filtered ? w.kept_w.data() : nullptr, w.kept_id.data(), n + kCollectSlack);
    int64_t total = pass.total;
    // The mods' weights in place of their raw ones.
    grow(w.mod_w, int64_t(w.mods.size()));
    for (size_t i = 0; i < w.mods.size(); ++i) {
        const Mod<C> &d = w.mods[i];
        const int64_t before = weight_of(k, x[d.id], mx, sp.a, s);
        const int64_t after = weight_of(k, d.value, mx, sp.a, s);
        w.mod_w[i] = after;
        total += after - before;
        w.blocks[size_t(d.id / kSumBlock)] += after - before;
    }
    if (!filtered) {
        // Plain sampling: find the block, then the token in it.
        const int64_t r = scale_draw(bits, total);
        int64_t acc = 0, b = 0;
        while (acc + w.blocks[size_t(b)] <= r) acc += w.blocks[size_t(b++)];
        const int64_t from = b * kSumBlock, len = std::min(kSumBlock, n - from);
        grow(w.ws, kSumBlock);
        grow(w.blocks, blocks + kSumBlock);  // the block's integer weights go after its sums
        int64_t *q = w.blocks.data() + blocks;
        k.weigh(x + from, len, mx, sp.a, s, w.ws.data(), nullptr, C(0), nullptr, nullptr, 0);
        for (int64_t i = 0; i < len; ++i) q[i] = int64_t(w.ws[size_t(i)]);
        for (size_t i = 0; i < w.mods.size(); ++i) {
            const int64_t id = w.mods[i].id;
            if (id >= from && id < from + len) q[id - from] = w.mod_w[i];
        }
        for (int64_t i = 0;; ++i) {
            acc += q[i];
            if (r < acc) return int32_t(from + i);
        }
    }
    const int64_t thr_p = sp.top_p < 1 ? ceil_mul(sp.top_p, total) : 0;
    if (w.mods.empty()) return draw_collected(k, w, pass.count, lo, bits);  // min-p alone
    int64_t m = candidates(w, pass.count, lo);
    // Valid if complete (no overflow) and, for top-p, either heavy enough that its threshold is
    // >= lo, or cut by min-p alone (lo = thr_m: then top-p keeps at least all of them).
    bool valid = !pass.overflow;
    if (valid && thr_p > 0 && lo > std::max<int64_t>(thr_m, 1)) {
        int64_t mass = 0;
        for (int64_t i = 0; i < m; ++i) mass += w.cand_w[size_t(i)];
        valid = mass >= thr_p;
    }
    if (!valid) {
        // Every token below (total - thr_p) / n together weighs less than what top-p drops, so
        // its threshold is not below that: collect from there, with room for the whole row.
        lo = floor_w;
        if (thr_p > 0) lo = std::max<int64_t>(lo, (total - thr_p) / n);
        pass = k.weigh(x, n, mx, sp.a, s, nullptr, nullptr, threshold_of<C>(lo), w.kept_w.data(),
                       w.kept_id.data(), n + kCollectSlack);
        m = candidates(w, pass.count, lo);
    }
    return finish(w, w.cand_id.data(), w.cand_w.data(), m, thr_p, thr_m, bits);
}

// Log-probabilities under the log-softmax of the raw logits (before every stage).
template <class C>
void logprobs_row(const SampleKernels<C> &k, const C *x, int64_t n, int32_t token, C *token_lp,
                  int64_t top_n, int32_t *top_ids, C *top_lp) {
    const C nan = std::numeric_limits<C>::quiet_NaN();
    const double lse = n > 0 ? double(logsumexp_row(active_kernels().get<C>(), x, n, C(1))) : -INFINITY;
    const bool valid = std::isfinite(lse);
    if (token_lp != nullptr) *token_lp = valid && token >= 0 ? C(double(x[token]) - lse) : nan;
    if (top_n == 0) return;
    if (!valid) {
        std::fill(top_ids, top_ids + top_n, -1);
        std::fill(top_lp, top_lp + top_n, nan);
        return;
    }
    Workspace<C> &w = Workspace<C>::get();
    w.mods.clear();
    int64_t count;
    select_top(k, x, n, top_n, w, count);
    w.list.clear();
    for (int64_t i = 0; i < count; ++i) w.list.push_back({w.ids[size_t(i)], w.vals[size_t(i)]});
    std::partial_sort(w.list.begin(), w.list.begin() + top_n, w.list.end(),
                      [](const Mod<C> &p, const Mod<C> &q) { return p.value > q.value || (p.value == q.value && p.id < q.id); });
    for (int64_t i = 0; i < top_n; ++i) {
        top_ids[i] = w.list[size_t(i)].id;
        top_lp[i] = C(double(w.list[size_t(i)].value) - lse);
    }
}

}  // namespace

template <class C>
void sample(int64_t rows, int64_t n, const C *x, int64_t ldx, const int32_t *history, int64_t ldh,
            int64_t h, const double *spec, uint64_t step, int32_t *tokens, int64_t ldt,
            int64_t first_row) {
    Spec<C> sp;
    const double temperature = spec[SM4J_SPEC_TEMPERATURE];
    sp.greedy = temperature == 0;
    sp.a = sp.greedy ? C(0) : to_scale<C>(1.0 / temperature);
    sp.top_k = int64_t(spec[SM4J_SPEC_TOP_K]);
    sp.top_p = spec[SM4J_SPEC_TOP_P];
    sp.min_p = spec[SM4J_SPEC_MIN_P];
    sp.repetition = C(spec[SM4J_SPEC_REPETITION_PENALTY]);
    sp.presence = C(spec[SM4J_SPEC_PRESENCE_PENALTY]);
    sp.frequency = C(spec[SM4J_SPEC_FREQUENCY_PENALTY]);
    sp.penalised = sp.repetition != C(1) || sp.presence != C(0) || sp.frequency != C(0);
    sp.bias_count = int64_t(spec[SM4J_SPEC_BIAS_COUNT]);
    sp.bias = spec + SM4J_SPEC_BIAS;
    sp.seed = uint64_t(spec[SM4J_SPEC_SEED_LOW]) | uint64_t(spec[SM4J_SPEC_SEED_HIGH]) << 32;
    sp.step = step;
    const SampleKernels<C> &k = active_sample_kernels().get<C>();
    for_each_row(rows, n, [&](int64_t r) {
        const int32_t *hist = history != nullptr ? history + r * ldh : nullptr;
        tokens[r * ldt] = sample_row(sp, k, x + r * ldx, n, hist, h, uint64_t(first_row + r));
    });
}

template <class C>
void top_logprobs(int64_t rows, int64_t n, const C *x, int64_t ldx, const int32_t *tokens, int64_t ldt,
                  int64_t top_n, int32_t *ids, int64_t ldi, C *lp, int64_t ldl) {
    const SampleKernels<C> &k = active_sample_kernels().get<C>();
    for_each_row(rows, n, [&](int64_t r) {
        C *out = lp + r * ldl;
        logprobs_row(k, x + r * ldx, n, tokens[r * ldt], out, top_n, ids + r * ldi, out + 1);
    });
}

#define SM4J_INSTANTIATE(T)                                                                            \
    template void sample<T>(int64_t, int64_t, const T *, int64_t, const int32_t *, int64_t, int64_t,   \
                            const double *, uint64_t, int32_t *, int64_t, int64_t);                    \
    template void top_logprobs<T>(int64_t, int64_t, const T *, int64_t, const int32_t *, int64_t,      \
                                  int64_t, int32_t *, int64_t, T *, int64_t);
SM4J_INSTANTIATE(float)
SM4J_INSTANTIATE(double)
#undef SM4J_INSTANTIATE

}  // namespace sm4j
