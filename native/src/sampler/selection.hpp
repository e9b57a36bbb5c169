// The two exact integer decisions of the sampler's filters (sampler.cpp), apart so that the
// native tests can hold them to brute force on inputs full of ties and exact boundaries.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <utility>

namespace sm4j::sampling {

// ceil(p * w) exactly, for p in (0, 1] and 0 <= w < 2^63.
static inline int64_t ceil_mul(double p, int64_t w) {
    int e;
    const double f = std::frexp(p, &e);  // p = f 2^e, f in [0.5, 1)
    const uint64_t m = uint64_t(std::ldexp(f, 53));
    const unsigned __int128 prod = (unsigned __int128)m * uint64_t(w);
    const int shift = 53 - e;  // >= 52
    if (shift >= 128) return prod != 0 ? 1 : 0;
    const unsigned __int128 q = prod >> shift;
    const bool rest = (prod & ((((unsigned __int128)1) << shift) - 1)) != 0;
    return int64_t(q) + (rest ? 1 : 0);
}

// t = max{v : sum of the weights >= v is >= need}, over values[0, n), 1 <= need <= their sum:
// top-p's threshold. The values are permuted. First the powers of two: one pass sums the
// weights by bit length (every weight of a longer bit length is larger), which finds the one
// power-of-two range where the cumulative sum crosses need; then a weighted quickselect on
// that range alone. Expected O(n), and on top-p's candidates the range is a small part.
static inline int64_t weighted_threshold(int64_t *v, int64_t n, int64_t need) {
    int64_t acc = 0;  // the weight above the range still undecided
    int64_t lo = 0, hi = n;
    if (n > 64) {
        int64_t sums[65] = {0};
        for (int64_t i = 0; i < n; ++i) sums[64 - __builtin_clzll(uint64_t(v[i]) | 1)] += v[i];
        int b = 64;
        while (acc + sums[b] < need) acc += sums[b--];
        // Move the range's values to the front.
        for (int64_t i = 0; i < n; ++i)
            if (64 - __builtin_clzll(uint64_t(v[i]) | 1) == b) std::swap(v[lo++], v[i]);
        hi = lo;
        lo = 0;
    }
    while (true) {
        if (hi - lo <= 16) {
            std::sort(v + lo, v + hi, std::greater<int64_t>());
            for (int64_t i = lo; i < hi; ++i) {
                acc += v[i];
                if (acc >= need) return v[i];
            }
            return v[hi - 1];  // unreachable when need <= the sum
        }
        // Median of three, then a three-way partition: > pivot | == pivot | < pivot.
        int64_t a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi - 1];
        const int64_t pivot = std::max(std::min(a, b), std::min(std::max(a, b), c));
        int64_t gt = lo, i = lo, lt = hi;
        while (i < lt) {
            if (v[i] > pivot) std::swap(v[gt++], v[i++]);
            else if (v[i] < pivot) std::swap(v[i], v[--lt]);
            else ++i;
        }
        int64_t above = 0, equal = 0;
        for (int64_t j = lo; j < gt; ++j) above += v[j];
        for (int64_t j = gt; j < lt; ++j) equal += v[j];
        if (acc + above >= need) {
            hi = gt;
        } else if (acc + above + equal >= need) {
            return pivot;
        } else {
            acc += above + equal;
            lo = lt;
        }
    }
}

}  // namespace sm4j::sampling
