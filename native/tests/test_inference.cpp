// Native tests of the inference entry points: the sampler (SM4J_SAMPLE, SM4J_TOP_LOGPROBS) against a sort-based
// reference written here from the specification (docs/sampling.md), its kernels on every kernel
// set against the generic ones bit for bit, its random numbers against Random123's known
// answers, its weight function against exp; and the attention softmax (SM4J_ATTENTION_*)
// against a long double reference. Run by ctest, also under ASan + UBSan.
//
// Compiled with -ffp-contract=off, like the sampler: the reference evaluates the weights with
// the same operations, and a fused multiply-add would change their bits.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "check.hpp"
#include "kernels/kernel_set.hpp"
#include "kernels/sample_kernels.hpp"
#include "sampler/philox.hpp"
#include "sampler/selection.hpp"
#include "sampler/weight_spec.hpp"
#include "softmax4j.h"

namespace {

using sm4j_test::attention;
using sm4j_test::check;
using sm4j_test::rows_op;
using ld = long double;

template <class T>
const char *type_name() {
    return sizeof(T) == 4 ? "f32" : "f64";
}

std::string str(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.17g", v);
    return b;
}

// ---------------------------------------------------------------- random numbers

void test_philox() {
    using sm4j::sampling::philox4x32_10;
    // Random123 tests/kat_vectors, philox4x32 10.
    struct Kat {
        std::array<uint32_t, 4> c;
        std::array<uint32_t, 2> k;
        std::array<uint32_t, 4> out;
    } kats[] = {
        {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}},
        {{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu},
         {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}},
        {{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u},
         {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}},
    };
    for (const Kat &k : kats) check(philox4x32_10(k.c, k.k) == k.out, "Philox4x32-10 known answer");
    // The draw's layout: counter (row, step), key seed, bits out[0] | out[1] << 32.
    const auto o = philox4x32_10({5, 0, 7, 0}, {42, 0});
    check(sm4j::sampling::draw_bits(42, 5, 7) == (uint64_t(o[0]) | uint64_t(o[1]) << 32), "draw_bits layout");
    check(sm4j::sampling::scale_draw(~uint64_t(0), 10) == 9 && sm4j::sampling::scale_draw(0, 10) == 0,
          "scale_draw covers [0, total)");
}

// ---------------------------------------------------------------- the weight function

template <class C>
void test_weight_accuracy() {
    using sm4j::sampling::scaled_weight;
    const int s = 40;
    const ld scale = std::ldexp(ld(1), s);
    check(scaled_weight<C>(C(0), s) == C(std::ldexp(1.0, s)), std::string("w(0) = 2^s exactly, ") + type_name<C>());
    check(scaled_weight<C>(C(-41), s) == C(0) && scaled_weight<C>(-std::numeric_limits<C>::infinity(), s) == C(0) &&
                  scaled_weight<C>(std::numeric_limits<C>::quiet_NaN(), s) == C(0),
          "below kMin, -inf and NaN weigh 0");
    check(scaled_weight<C>(C(3), s) == C(std::ldexp(1.0, s)), "d > 0 is clamped to 0");
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(-40, 0);
    double worst = 0;
    for (int i = 0; i < 200000; ++i) {
        C d = C(i < 1000 ? -i * 0.04 : u(rng));
        if (i % 7 == 0) d = C(d * 1e-3);  // near 0
        const ld e = std::exp(ld(d)) * scale;
        const ld got = scaled_weight<C>(d, s);
        const ld ulp = std::ldexp(ld(1), std::ilogb(e) - std::numeric_limits<C>::digits + 1);
        worst = std::max<double>(worst, double(std::fabs(got - e) / ulp));
    }
    std::printf("weight function, %s: worst error %.3f ulp\n", type_name<C>(), worst);
    check(worst <= 2.0, std::string("weight within 2 ulp of exp, ") + type_name<C>() + ": " + str(worst));
}

// ---------------------------------------------------------------- kernels: every set = generic

template <class C>
std::vector<C> random_row(std::mt19937_64 &rng, int64_t n, double sigma, int ties) {
    std::normal_distribution<double> g(0, sigma);
    std::vector<C> x(static_cast<size_t>(n));
    for (auto &v : x) v = C(g(rng));
    if (ties > 0) {  // round onto a coarse grid: many equal values
        for (auto &v : x) v = C(std::round(double(v) * ties) / ties);
    }
    return x;
}

template <class C>
void test_kernels_match(const char *set_name) {
    const sm4j::KernelSet *set = sm4j::find_kernel_set(set_name);
    if (set == nullptr) return;
    const sm4j::SampleKernels<C> &k = sm4j::sample_kernels_for(*set).template get<C>();
    const sm4j::SampleKernels<C> &g = sm4j::kGenericSampleKernels.get<C>();
    const std::string tag = std::string(set_name) + " " + type_name<C>();
    std::mt19937_64 rng(7);
    for (int64_t n : {1, 2, 7, 15, 16, 17, 31, 33, 64, 100, 1023, 1024, 1025, 3000, 70001}) {
        std::vector<C> x = random_row<C>(rng, n, 4, n % 3 == 0 ? 2 : 0);
        if (n > 10) x[size_t(n / 3)] = -std::numeric_limits<C>::infinity();
        C m = *std::max_element(x.begin(), x.end());
        for (double a : {1.0, 0.8, 1.7, 0.0}) {
            for (int s0 : {51, 44, 20}) {
                // The sampler's contract: n weights of at most 2^s sum below 2^63.
                const int s = std::min(s0, sm4j::sampling::weight_shift(n));
                std::vector<C> w1(static_cast<size_t>(n)), w2(static_cast<size_t>(n));
                std::vector<int64_t> b1(size_t(n / sm4j::kSumBlock + 1)), b2(b1.size());
                auto r1 = k.weigh(x.data(), n, m, C(a), s, w1.data(), b1.data(), C(0), nullptr, nullptr, 0);
                auto r2 = g.weigh(x.data(), n, m, C(a), s, w2.data(), b2.data(), C(0), nullptr, nullptr, 0);
                bool same = r1.total == r2.total && b1 == b2 &&
                            std::memcmp(w1.data(), w2.data(), sizeof(C) * size_t(n)) == 0;
                check(same, "weigh " + tag + " = generic, n=" + std::to_string(n) + " a=" + str(a));
                int64_t total = 0;
                for (auto v : w2) total += int64_t(v);
                check(total == r2.total, "weigh: total is the sum of trunc(ws) " + tag);
                // Collecting without storing: the same total, and exactly the weights >= t.
                for (double frac : {1.0, 1e-3, 1e-9}) {
                    const C t = C(std::ldexp(frac, s));
                    for (int64_t room : {int64_t(40), n + 16}) {
                        std::vector<C> v(size_t(room + sm4j::kCollectSlack));
                        std::vector<int32_t> ids(v.size());
                        auto c = k.weigh(x.data(), n, m, C(a), s, nullptr, nullptr, t, v.data(), ids.data(), room);
                        check(c.total == r2.total, "weigh collecting: same total " + tag);
                        std::vector<int32_t> want;
                        for (int64_t i = 0; i < n; ++i)
                            if (w2[size_t(i)] >= t) want.push_back(int32_t(i));
                        if (!c.overflow) {
                            bool ok = int64_t(want.size()) == c.count;
                            for (int64_t i = 0; ok && i < c.count; ++i)
                                ok = ids[size_t(i)] == want[size_t(i)] && v[size_t(i)] == w2[size_t(want[size_t(i)])];
                            check(ok, "weigh collects exactly the weights >= t " + tag);
                        } else {
                            check(int64_t(want.size()) > room - sm4j::kCollectSlack, "overflow only when full " + tag);
                        }
                        check(c.count <= room, "weigh stays within room " + tag);
                    }
                }
                // weigh_keep against the stored weights of the generic weigh: exactly the members
                // ws >= lo in order and the per-block counts, and the rest within kRestError of
                // the exact sum of the others (long double; each ws is exact in it). lo is a
                // weight of the row itself (the boundary hit exactly, ties included). The vector
                // sets' cheaper weight (no zeroing below kMin: d reaches -54 here, and -inf)
                // adds at most 2^-6 per token below kMin, allowed for as the sampler does.
                std::vector<C> sorted_w = w2;
                std::sort(sorted_w.begin(), sorted_w.end(), std::greater<C>());
                for (double q : {0.5, 0.05, 1.0, 0.2}) {
                    const C lo = std::max(C(1), sorted_w[size_t(double(n - 1) * q)]);
                    long double rest = 0;
                    std::vector<C> want;
                    const size_t nb = size_t((n + sm4j::kSumBlock - 1) / sm4j::kSumBlock);
                    std::vector<int64_t> want_end(nb);
                    for (int64_t i = 0; i < n; ++i) {
                        const C v = w2[size_t(i)];
                        if (v >= lo) {
                            want.push_back(v);
                        } else {
                            rest += v;
                        }
                        want_end[size_t(i / sm4j::kSumBlock)] = int64_t(want.size());
                    }
                    for (const sm4j::SampleKernels<C> *kk : {&k, &g}) {
                        std::vector<C> vals(size_t(n + sm4j::kCollectSlack));
                        std::vector<int64_t> be(nb);
                        const sm4j::Kept kp = kk->weigh_keep(x.data(), n, m, C(a), s, lo, vals.data(), be.data());
                        const long double err = std::fabs((long double)kp.rest - rest);
                        const bool ok = kp.count == int64_t(want.size()) &&
                                        std::equal(want.begin(), want.end(), vals.begin()) && be == want_end &&
                                        err <= sm4j::kRestError * rest + (kk == &g ? 0 : std::ldexp(1.0, -6) * double(n));
                        check(ok, "weigh_keep " + std::string(kk == &g ? "generic " : "") + tag + ", n=" +
                                          std::to_string(n) + " a=" + str(a) + " s=" + std::to_string(s) +
                                          " q=" + str(q));
                    }
                }
            }
        }
        // m below some x (a mod's raw value): clamped to weight 2^s, the same on every set.
        std::vector<C> w1(static_cast<size_t>(n)), w2(static_cast<size_t>(n));
        check(k.weigh(x.data(), n, C(m - 1), C(1), 30, w1.data(), nullptr, C(0), nullptr, nullptr, 0).total ==
                      g.weigh(x.data(), n, C(m - 1), C(1), 30, w2.data(), nullptr, C(0), nullptr, nullptr, 0).total &&
                      w1 == w2,
              "weigh with d > 0 " + tag);
        // collect_ge: every threshold, with and without room to spare, resumed where it stopped.
        for (double q : {-1e30, -1.0, 0.0, 1.5, 3.0, 1e30}) {
            for (int64_t room : {int64_t(20), int64_t(40), n + 16}) {
                std::vector<C> v1, v2;
                std::vector<int32_t> i1, i2;
                bool bad1 = false, bad2 = false;
                for (auto [kk, v, ids, bad] : {std::tuple{&k, &v1, &i1, &bad1}, std::tuple{&g, &v2, &i2, &bad2}}) {
                    std::vector<C> vals(static_cast<size_t>(room + sm4j::kCollectSlack));
                    std::vector<int32_t> idb(vals.size());
                    int64_t pos = 0;
                    int guard = 0;
                    while (pos < n && guard++ < 100000) {
                        auto c = kk->collect_ge(x.data() + pos, n - pos, C(q), pos, vals.data(), idb.data(), room, bad);
                        v->insert(v->end(), vals.begin(), vals.begin() + c.count);
                        ids->insert(ids->end(), idb.begin(), idb.begin() + c.count);
                        pos += c.consumed;
                        check(c.count <= room, "collect_ge stays within room");
                    }
                }
                check(v1 == v2 && i1 == i2 && bad1 == bad2, "collect_ge " + tag + " = generic, n=" + std::to_string(n));
                std::vector<int32_t> want;
                for (int64_t i = 0; i < n; ++i)
                    if (x[size_t(i)] >= C(q)) want.push_back(int32_t(i));
                check(i2 == want, "collect_ge finds every x >= t in order");
            }
        }
        // NaN and +inf are reported, never collected: anywhere in the row, also where no value
        // reaches the threshold (the vector sets' fast path), alone or among negative values.
        for (C badv : {std::numeric_limits<C>::quiet_NaN(), -std::numeric_limits<C>::quiet_NaN(),
                       std::numeric_limits<C>::infinity()})
        for (int64_t at : {n - 1, n / 2, int64_t(0)})
        for (C t : {-std::numeric_limits<C>::infinity(), C(1e30)}) {
            std::vector<C> y = x;
            y[size_t(at)] = badv;
            std::vector<C> vals(static_cast<size_t>(n + 2 * sm4j::kCollectSlack));
            std::vector<int32_t> ids(vals.size());
            bool bad = false;
            auto c = k.collect_ge(y.data(), n, t, 0, vals.data(), ids.data(), n + sm4j::kCollectSlack, &bad);
            check(bad, "collect_ge reports NaN/+inf " + tag + " n=" + std::to_string(n) + " at " + std::to_string(at));
            bool has_nan = false;
            for (int64_t i = 0; i < c.count; ++i) has_nan = has_nan || std::isnan(vals[size_t(i)]);
            check(!has_nan, "collect_ge never collects NaN " + tag);
        }
    }
}

// The passes over top-p's candidates (mass_ge, bracket, draw_at) against a plain statement of
// them with integer weights, on every kernel set: weights with fractions, ties, values on both
// sides of every threshold, lengths around the vector widths.
template <class C>
void test_candidate_kernels(const char *set_name) {
    const sm4j::KernelSet *set = sm4j::find_kernel_set(set_name);
    if (set == nullptr) return;
    const sm4j::SampleKernels<C> &k = sm4j::sample_kernels_for(*set).template get<C>();
    const std::string tag = std::string(set_name) + " " + type_name<C>();
    std::mt19937_64 rng(23);
    int64_t failures = 0;
    for (int64_t n : {0, 1, 5, 15, 16, 17, 63, 64, 65, 200, 4099}) {
        std::vector<C> ws(static_cast<size_t>(n));
        for (auto &v : ws) {
            // Integers and fractions from 0 to 2^40, a coarse grid so that thresholds hit ties.
            const int e = int(rng() % 41);
            v = C(std::ldexp(double(rng() % 8) / 4, e));
        }
        auto trunc_of = [](C v) { return int64_t(v); };
        for (int trial = 0; trial < 6; ++trial) {
            const C t = n > 0 ? ws[size_t(rng() % uint64_t(n))] : C(1);
            const C b = n > 0 ? std::max(t, ws[size_t(rng() % uint64_t(n))]) : C(2);
            const C b_le = std::nextafter(b, C(0));
            int64_t mass = 0, above = 0;
            std::vector<C> in_v;
            for (int64_t i = 0; i < n; ++i) {
                const C v = ws[size_t(i)];
                if (v >= t) mass += trunc_of(v);
                if (v >= b) above += trunc_of(v);
                if (v >= t && v < b) in_v.push_back(v);
            }
            failures += k.mass_ge(ws.data(), n, t) != mass;
            std::vector<C> vals(size_t(n + sm4j::kCollectSlack));
            const sm4j::Weighed br = k.bracket(ws.data(), n, t, b, b_le, vals.data());
            failures += br.total != above || br.count != int64_t(in_v.size()) ||
                        !std::equal(in_v.begin(), in_v.end(), vals.begin());
            // The draw at a few points of [0, mass), and past it.
            for (int64_t r : {int64_t(0), mass / 3, mass - 1, mass}) {
                if (r < 0) continue;
                int64_t acc = 0, want = n;
                for (int64_t i = 0; i < n; ++i) {
                    if (ws[size_t(i)] >= t) {
                        acc += trunc_of(ws[size_t(i)]);
                        if (r < acc) {
                            want = i;
                            break;
                        }
                    }
                }
                failures += k.draw_at(ws.data(), n, t, r) != want;
            }
        }
    }
    check(failures == 0, "mass_ge, bracket and draw_at on " + tag + ": " + std::to_string(failures) + " failures");
}

// ---------------------------------------------------------------- the sampler against a reference

struct Params {
    double temperature = 1, top_k = 0, top_p = 1, min_p = 0, repetition = 1, presence = 0, frequency = 0;
    std::vector<int32_t> bias_ids;
    std::vector<double> bias_values;
    uint64_t seed = 0, step = 0;

    // The sampler's row of SM4J_SAMPLE (enum sm4j_sampler_spec).
    std::vector<double> spec() const {
        std::vector<double> s = {temperature, top_k,     top_p, min_p, repetition, presence, frequency,
                                 double(uint32_t(seed)), double(uint32_t(seed >> 32)), double(bias_ids.size())};
        for (size_t i = 0; i < bias_ids.size(); ++i) {
            s.push_back(bias_ids[i]);
            s.push_back(bias_values[i]);
        }
        return s;
    }
};

int64_t ceil_mul_ref(double p, int64_t w) {
    // ceil(p w) for p = f 2^e with f a 53-bit integer: long double has 64 bits of mantissa, not
    // enough for the product, so do it with 128-bit integers in a different way: exact rational.
    int e;
    double f = std::frexp(p, &e);
    unsigned __int128 num = (unsigned __int128)(uint64_t)std::ldexp(f, 53) * (uint64_t)w;
    int sh = 53 - e;
    if (sh >= 128) return num ? 1 : 0;
    unsigned __int128 den = (unsigned __int128)1 << sh;
    return int64_t((num + den - 1) / den);
}

// The integer decisions: top-p's threshold by weighted quickselect against sorting, on weights
// full of ties where a cumulative sum often equals the target exactly; ceil(P W) against the
// exact rational on boundaries P = j / W and its neighbours.
void test_selection() {
    std::mt19937_64 rng(13);
    int64_t bad = 0;
    for (int trial = 0; trial < 24000; ++trial) {
        // Every fourth set is larger and sits in about one power of two, as top-p's bracket does:
        // a few distinct values per bucket (ties) or many, so that the bucket pass has a crowded
        // bucket to hand on; the others span from 1 (and 0) up.
        const bool narrow = trial % 4 == 3;
        const int64_t n = narrow ? 65 + int64_t(rng() % 3000) : 1 + int64_t(rng() % 200);
        const int64_t top = trial % 3 == 0 ? 3 : trial % 3 == 1 ? 50 : int64_t(1) << 40;
        const int64_t base = (int64_t(1) << (20 + rng() % 30)) + int64_t(rng() % 1000);
        const int64_t step = trial % 3 == 0 ? base >> 6 : trial % 3 == 1 ? 1 : 7 + int64_t(rng() % 1000);
        std::vector<int64_t> v(static_cast<size_t>(n));
        int64_t sum = 0;
        for (auto &e : v) {
            if (narrow) {
                e = base + step * int64_t(rng() % 100);
            } else {
                e = int64_t(rng() % uint64_t(top + 1));  // 0 too: a weight trunc(ws) = 0
            }
            sum += e;
        }
        if (sum == 0) continue;
        const int64_t need = 1 + int64_t(rng() % uint64_t(sum));
        std::vector<int64_t> sorted = v;
        std::sort(sorted.begin(), sorted.end(), std::greater<int64_t>());
        int64_t acc = 0, want = 0;
        for (int64_t e : sorted) {
            acc += e;
            if (acc >= need) {
                want = e;
                break;
            }
        }
        if (sm4j::sampling::weighted_threshold(v.data(), n, need) != want) ++bad;
        // The callers sum the kept values afterwards: the values must be permuted, none lost.
        std::sort(v.begin(), v.end(), std::greater<int64_t>());
        if (v != sorted) ++bad;
    }
    check(bad == 0, "weighted_threshold = sorted cumulative sum: " + std::to_string(bad) + " differ");
    int64_t wrong = 0;
    for (int trial = 0; trial < 20000; ++trial) {
        const int64_t w = trial % 2 ? int64_t(rng() % 1000 + 1) : int64_t(rng() >> 1);
        const int64_t j = int64_t(rng() % uint64_t(w)) + 1;
        double p = double(j) / double(w);
        for (int step = -2; step <= 2; ++step) {
            double q = p;
            for (int i = 0; i < std::abs(step); ++i) q = std::nextafter(q, step < 0 ? 0.0 : 2.0);
            if (!(q > 0 && q <= 1)) continue;
            if (sm4j::sampling::ceil_mul(q, w) != ceil_mul_ref(q, w)) ++wrong;
        }
    }
    check(wrong == 0, "ceil_mul exact on boundaries: " + std::to_string(wrong) + " wrong");
    check(sm4j::sampling::ceil_mul(0x1p-1074, int64_t(1) << 62) == 1 && sm4j::sampling::ceil_mul(1.0, 12345) == 12345,
          "ceil_mul extremes");
}

// The specification, step by step, with sorting wherever it is simplest.
template <class C>
int32_t reference_sample(const C *x, int64_t n, const Params &p, const int32_t *hist, int64_t h, uint64_t row) {
    if (n == 0) return -1;
    std::vector<C> l(x, x + n);
    std::map<int32_t, int64_t> counts;
    for (int64_t i = 0; hist != nullptr && i < h; ++i)
        if (hist[i] >= 0) counts[hist[i]]++;
    const C R = C(p.repetition), A = C(p.presence), F = C(p.frequency);
    for (auto [id, c] : counts) {
        C v = l[size_t(id)];
        v = v > C(0) ? v / R : v * R;
        v = v - C(c) * F;
        v = v - A;
        l[size_t(id)] = v;
    }
    for (size_t b = 0; b < p.bias_ids.size(); ++b) l[size_t(p.bias_ids[b])] = C(l[size_t(p.bias_ids[b])] + C(p.bias_values[b]));
    C mx = -std::numeric_limits<C>::infinity();
    for (C v : l) {
        if (std::isnan(v) || v == std::numeric_limits<C>::infinity()) return -1;
        mx = std::max(mx, v);
    }
    if (mx == -std::numeric_limits<C>::infinity()) return -1;
    if (p.temperature == 0) return int32_t(std::find(l.begin(), l.end(), mx) - l.begin());
    std::vector<int32_t> kept(static_cast<size_t>(n));
    std::iota(kept.begin(), kept.end(), 0);
    const int64_t K = int64_t(p.top_k);
    if (K > 0 && K < n) {
        std::vector<C> sorted = l;
        std::sort(sorted.begin(), sorted.end(), std::greater<C>());
        const C kth = sorted[size_t(K - 1)];
        kept.clear();
        for (int64_t i = 0; i < n; ++i)
            if (l[size_t(i)] >= kth) kept.push_back(int32_t(i));
    }
    double inv = 1.0 / p.temperature;
    const double hi = double(std::numeric_limits<C>::max());
    const C a = C(inv > hi ? hi : inv);
    const int s = sm4j::sampling::weight_shift(int64_t(kept.size()));
    std::vector<std::pair<int32_t, int64_t>> W;  // (id, weight), ascending id
    int64_t total = 0;
    for (int32_t id : kept) {
        C d = l[size_t(id)] - mx;
        if (a != C(1)) d = d * a;
        W.emplace_back(id, int64_t(sm4j::sampling::scaled_weight<C>(d, s)));
        total += W.back().second;
    }
    auto drop_below = [&](int64_t t) {
        W.erase(std::remove_if(W.begin(), W.end(), [&](const auto &e) { return e.second < t; }), W.end());
    };
    if (p.top_p < 1) {
        const int64_t thr = ceil_mul_ref(p.top_p, total);
        std::vector<int64_t> ws;
        for (auto [id, w] : W) ws.push_back(w);
        std::sort(ws.begin(), ws.end(), std::greater<int64_t>());
        int64_t acc = 0, t = 0;
        for (int64_t w : ws) {
            acc += w;
            if (acc >= thr) {
                t = w;
                break;
            }
        }
        drop_below(t);
    }
    if (p.min_p > 0) drop_below(int64_t(std::ceil(std::ldexp(p.min_p, s))));
    int64_t sum = 0;
    for (auto [id, w] : W) sum += w;
    const int64_t r = sm4j::sampling::scale_draw(sm4j::sampling::draw_bits(p.seed, row, p.step), sum);
    int64_t acc = 0;
    for (auto [id, w] : W) {  // ascending id
        acc += w;
        if (r < acc) return id;
    }
    return -2;  // cannot happen
}

template <class C>
void run_sample(const Params &p, int64_t rows, int64_t n, const C *x, const int32_t *hist, int64_t h, int32_t *tokens,
                int64_t top_n = 0, C *token_lp = nullptr, int32_t *top_ids = nullptr, C *top_lp = nullptr) {
    const std::vector<double> spec = p.spec();
    sm4j_call c = sm4j_test::call(SM4J_SAMPLE, rows, n, h, 0.0, double(p.step));
    c.in[0] = sm4j_test::operand(x, n);
    if (hist != nullptr) c.in[1] = {const_cast<int32_t *>(hist), h, SM4J_I32};
    c.in[2] = {const_cast<double *>(spec.data()), 0, SM4J_F64};
    c.out[0] = {tokens, 1, SM4J_I32};
    sm4j_run(&c);
    if (top_n == 0) return;
    // The log-probabilities: the token's, then the top ones, in one row per row.
    std::vector<C> lp(size_t(rows * (top_n + 1)));
    sm4j_call l = sm4j_test::call(SM4J_TOP_LOGPROBS, rows, n, top_n, 0.0);
    l.in[0] = sm4j_test::operand(x, n);
    l.in[1] = {tokens, 1, SM4J_I32};
    l.out[0] = {top_ids, top_n, SM4J_I32};
    l.out[1] = sm4j_test::operand(lp.data(), top_n + 1);
    sm4j_run(&l);
    for (int64_t r = 0; r < rows; ++r) {
        token_lp[r] = lp[size_t(r * (top_n + 1))];
        std::copy(lp.begin() + r * (top_n + 1) + 1, lp.begin() + (r + 1) * (top_n + 1), top_lp + r * top_n);
    }
}

std::vector<Params> parameter_sets(std::mt19937_64 &rng, int64_t n) {
    std::vector<Params> out;
    auto base = [&](double t) {
        Params p;
        p.temperature = t;
        p.seed = rng();
        p.step = rng() % 1000;
        return p;
    };
    for (double t : {0.0, 1.0, 0.8, 1.7, 0.05, double(INFINITY)}) {
        Params p = base(t);
        out.push_back(p);
        p.top_k = 1 + double(rng() % std::max<int64_t>(1, std::min<int64_t>(n, 60)));
        out.push_back(p);
        p.top_p = 0.9;
        out.push_back(p);
        p.min_p = 0.05;
        out.push_back(p);
        Params q = base(t);
        q.top_p = 0.5;
        out.push_back(q);
        q.top_p = 0.999;
        out.push_back(q);
        q.min_p = 0.2;
        out.push_back(q);
        Params r = base(t);
        r.min_p = 0.1;
        out.push_back(r);
        r.top_k = double(n);  // top-k >= n is off
        out.push_back(r);
        Params pen = base(t);
        pen.repetition = 1.3;
        pen.presence = 0.4;
        pen.frequency = 0.25;
        pen.top_p = 0.8;
        out.push_back(pen);
        pen.top_k = 5;
        pen.bias_ids = {0, int32_t(n / 2), int32_t(n - 1)};
        pen.bias_values = {3.0, -INFINITY, -1.5};
        std::sort(pen.bias_ids.begin(), pen.bias_ids.end());
        pen.bias_ids.erase(std::unique(pen.bias_ids.begin(), pen.bias_ids.end()), pen.bias_ids.end());
        pen.bias_values.resize(pen.bias_ids.size());
        out.push_back(pen);
    }
    return out;
}

template <class C>
void test_sampler_against_reference(const char *set_name) {
    if (sm4j_force_kernels(set_name) != 0) return;
    const std::string tag = std::string(set_name) + " " + type_name<C>();
    std::mt19937_64 rng(11);
    int64_t mismatches = 0, compared = 0;
    for (int64_t n : {1, 2, 3, 10, 33, 100, 1000, 5000, 40000}) {
        for (int ties : {0, 2, 1}) {
            if (n == 40000 && ties == 1) continue;
            const int64_t rows = n >= 5000 ? 3 : 6;
            std::vector<C> x;
            for (int64_t r = 0; r < rows; ++r) {
                auto row = random_row<C>(rng, n, r % 2 ? 1.0 : 6.0, ties);
                x.insert(x.end(), row.begin(), row.end());
            }
            if (n > 5) x[size_t(n + 1)] = -std::numeric_limits<C>::infinity();  // row 1: a banned token
            const int64_t h = std::min<int64_t>(n, 12);
            std::vector<int32_t> hist(static_cast<size_t>(rows * h));
            for (auto &v : hist) v = rng() % 4 == 0 ? -1 : int32_t(rng() % uint64_t(std::max<int64_t>(1, std::min<int64_t>(n, 8)) ));
            for (const Params &p : parameter_sets(rng, n)) {
                bool bias_ok = true;
                for (int32_t id : p.bias_ids) bias_ok = bias_ok && id < n;
                if (!bias_ok) continue;
                std::vector<int32_t> tokens(static_cast<size_t>(rows));
                run_sample(p, rows, n, x.data(), hist.data(), h, tokens.data());
                for (int64_t r = 0; r < rows; ++r) {
                    const int32_t want = reference_sample(x.data() + r * n, n, p, hist.data() + r * h, h, uint64_t(r));
                    ++compared;
                    if (tokens[size_t(r)] != want) {
                        if (++mismatches <= 10)
                            std::fprintf(stderr, "  %s n=%lld ties=%d row=%lld T=%g k=%g p=%g minp=%g: got %d want %d\n",
                                         tag.c_str(), (long long)n, ties, (long long)r, p.temperature, p.top_k, p.top_p,
                                         p.min_p, tokens[size_t(r)], want);
                    }
                }
            }
        }
    }
    check(mismatches == 0, "sampler = reference on " + tag + ": " + std::to_string(mismatches) + " of " +
                                   std::to_string(compared) + " rows differ");
}

// Top-p over a whole vocabulary with a wide nucleus (SamplerBench's rows: N(0, 2^2) logits at
// T = 0.8 keep ~14,000 of 128,256 tokens), flatter rows where the first pass's guess fails, and
// tie-heavy rows: the paths where the threshold is narrowed by brackets, widened, or found by
// the second pass.
template <class C>
void test_sampler_wide_nucleus(const char *set_name) {
    if (sm4j_force_kernels(set_name) != 0) return;
    const std::string tag = std::string(set_name) + " " + type_name<C>();
    std::mt19937_64 rng(31);
    const int64_t n = 128256, rows = 2;
    int64_t mismatches = 0, compared = 0;
    // sigma < 0: a spike, 3 tokens at 0 over N(-10, 0.5^2): the tail holds most of the weight at
    // 2^-14.4 of the largest, around the first pass's guess, so the second pass runs (with mods).
    // sigma = 5 (decoy): the logits at the positions the threshold's samples read (every
    // (n / 2048)-th) are -30, the rest N(0, 5^2): every estimate misses, the bracket widens and
    // the exact quickselect runs on the whole row.
    // Without mods and min-p, these rows took every path of top_p_fused, which top_p_split has
    // since replaced (test_sampler_top_p_boundaries counts top_p_split's paths); counted then with a
    // debug build: 634 rows per type; no estimate 48 (the decoy), capped bracket 295, uncapped
    // 291 (heavy heads, small nuclei), the cap too low and a second pass 121, the bottom too
    // high and top_p_stored 39, 547 done in the fused pass); a kernel that records a block's
    // members one block early fails 29 of these rows and 120 of test_sampler's.
    for (double sigma : {2.0, 0.7, -1.0, 5.0}) {
        for (int ties : {0, 4}) {
            std::vector<C> x;
            for (int64_t r = 0; r < rows; ++r) {
                auto row = random_row<C>(rng, n, sigma < 0 ? 0.5 : sigma, ties);
                if (sigma < 0) {
                    for (auto &v : row) v = C(v - 10);
                    for (int j = 0; j < 3; ++j) row[size_t(rng() % uint64_t(n))] = C(0);
                }
                if (sigma == 5.0)
                    for (int64_t j = 0; j < 2048; ++j) row[size_t(j * n / 2048)] = C(-30);
                x.insert(x.end(), row.begin(), row.end());
            }
            for (double t : {0.8, 1.3}) {
                for (double top_p : {0.9, 0.5, 0.995}) {
                    for (double min_p : {0.0, 0.0002}) {
                        Params p;
                        p.temperature = t;
                        p.top_p = top_p;
                        p.min_p = min_p;
                        p.seed = rng();
                        p.step = rng() % 1000;
                        // Every other case with a history and a repetition penalty: the path
                        // with mods (collected candidates, the guess and its second pass).
                        const bool mods = (p.step & 1) != 0;
                        const int64_t h = mods ? 4 : 0;
                        std::vector<int32_t> hist(size_t(rows * 4));
                        for (auto &id : hist) id = int32_t(rng() % uint64_t(n));
                        if (mods) p.repetition = 1.3;
                        std::vector<int32_t> tokens(static_cast<size_t>(rows));
                        run_sample(p, rows, n, x.data(), mods ? hist.data() : nullptr, h, tokens.data());
                        for (int64_t r = 0; r < rows; ++r) {
                            ++compared;
                            const int32_t want = reference_sample(x.data() + r * n, n, p,
                                                                  mods ? hist.data() + r * h : nullptr, h, uint64_t(r));
                            if (tokens[size_t(r)] != want && ++mismatches <= 10)
                                std::fprintf(stderr, "  %s sigma=%g ties=%d T=%g p=%g minp=%g: got %d want %d\n", tag.c_str(),
                                             sigma, ties, t, top_p, min_p, tokens[size_t(r)], want);
                        }
                    }
                }
            }
        }
    }
    check(mismatches == 0, "wide-nucleus top-p = reference on " + tag + ": " + std::to_string(mismatches) + " of " +
                                   std::to_string(compared) + " rows differ");
}

// Top-p cuts on a boundary of the cumulative weight. The one-pass path knows the total only
// within a bound (~2 10^-7 of it either side) and must find that its threshold is ambiguous and
// take the exact total: P is chosen so that ceil(P Z) is a cumulative sum of the descending
// weights (the threshold is that token's weight) or one more (the next lower weight), or
// +-1 and +2^20 around it, inside and outside the bound. Flat and tied rows, rows with -inf,
// all-equal rows, P from 2^-40 to 1 - 2^-40, four draws each, at 1 and 2 threads. Counted once
// with a debug build, per kernel set and type: 640 rows, of which 128 take the exact total and
// 232 (f64) or 280 (f32) have a bracket bottom above the cut and run top_p_stored. Skipping the
// exact total fails this test on every set (1 of 264 rows with two draws per P).
// The reference's tokens (a sort of the row each) are computed once and checked on every set.
template <class C>
void test_sampler_top_p_boundaries() {
    const char *sets[] = {"generic", "avx2", "avx512", "neon"};
    std::mt19937_64 rng(47);
    const int64_t n = 128256;
    int64_t mismatches[4] = {}, compared[4] = {};
    // Flat, tied (logits on a grid of 1/8), a quarter of the logits -inf, all equal.
    for (int ties : {0, 8, -1, -2}) {
        std::vector<C> x = random_row<C>(rng, n, 2.0, std::max(ties, 0));
        for (int64_t i = 0; i < n; ++i) {
            if (ties == -1 && i % 4 == 1) x[size_t(i)] = -std::numeric_limits<C>::infinity();
            if (ties == -2) x[size_t(i)] = C(1.5);
        }
        const C mx = *std::max_element(x.begin(), x.end());
        const C a = C(1.0 / 0.8);
        const int s = sm4j::sampling::weight_shift(n);
        std::vector<int64_t> w(static_cast<size_t>(n));
        int64_t z = 0;
        for (int64_t i = 0; i < n; ++i) {
            w[size_t(i)] = int64_t(sm4j::sampling::scaled_weight<C>(C((x[size_t(i)] - mx) * a), s));
            z += w[size_t(i)];
        }
        std::sort(w.begin(), w.end(), std::greater<int64_t>());
        // Cumulative sums at a few places of the descending order, the nucleus's edge among them.
        std::vector<int64_t> needs;
        int64_t acc = 0;
        for (int64_t i = 0; i < n; ++i) {
            acc += w[size_t(i)];
            const bool edge = acc >= z / 10 * 9 && acc - w[size_t(i)] < z / 10 * 9;
            if (edge || i == 0 || i == 5 || (acc >= z - w[size_t(n - 1)] * 3 && needs.size() < 24)) {
                for (int64_t d : {int64_t(0), int64_t(1), int64_t(-1), int64_t(1) << 20})
                    if (acc + d >= 1 && acc + d <= z) needs.push_back(acc + d);
            }
        }
        std::vector<double> ps = {0x1p-40, 1 - 0x1p-40};
        for (int64_t need : needs) {
            // The P with ceil(P z) = need: from need / z, stepped until it holds.
            double p = double(need) / double(z);
            for (int g = 0; g < 64 && ceil_mul_ref(p, z) < need; ++g) p = std::nextafter(p, 2.0);
            for (int g = 0; g < 64 && ceil_mul_ref(p, z) > need; ++g) p = std::nextafter(p, 0.0);
            if (ceil_mul_ref(p, z) == need && p > 0 && p <= 1) ps.push_back(p);
        }
        constexpr int rows = 4;  // four draws of the same row: a kept set one token off shows
        std::vector<C> xr;
        for (int r = 0; r < rows; ++r) xr.insert(xr.end(), x.begin(), x.end());
        for (double p : ps) {
            Params q;
            q.temperature = 0.8;
            q.top_p = p;
            q.seed = rng();
            q.step = rng() % 1000;
            int32_t want[rows];
            for (int r = 0; r < rows; ++r) want[r] = reference_sample(x.data(), n, q, nullptr, 0, uint64_t(r));
            for (int si = 0; si < 4; ++si) {
                if (sm4j_force_kernels(sets[si]) != 0) continue;
                for (int threads : {1, 2}) {
                    int32_t tokens[rows];
                    sm4j_set_num_threads(threads);
                    run_sample<C>(q, rows, n, xr.data(), nullptr, 0, tokens);
                    for (int r = 0; r < rows; ++r) {
                        ++compared[si];
                        if (tokens[r] != want[r] && ++mismatches[si] <= 10)
                            std::fprintf(stderr, "  %s %s ties=%d p=%a: got %d want %d\n", sets[si], type_name<C>(), ties,
                                         p, tokens[r], want[r]);
                    }
                }
            }
        }
    }
    sm4j_set_num_threads(0);
    for (int si = 0; si < 4; ++si) {
        if (compared[si] == 0) continue;  // a set this machine lacks
        check(mismatches[si] == 0, std::string("top-p on cumulative boundaries = reference on ") + sets[si] + " " +
                                           type_name<C>() + ": " + std::to_string(mismatches[si]) + " of " +
                                           std::to_string(compared[si]) + " rows differ");
    }
}

// Edge rows: -1 for NaN, +inf (also made by a penalty or bias), all -inf, n = 0; never out of range.
template <class C>
void test_sampler_edges() {
    const C inf = std::numeric_limits<C>::infinity(), nan = std::numeric_limits<C>::quiet_NaN();
    const std::vector<std::vector<C>> rows = {{1, nan, 2}, {1, inf, 2}, {-inf, -inf, -inf}, {-inf, 5, -inf}};
    const int32_t want[] = {-1, -1, -1, 1};
    for (double t : {0.0, 1.0, 0.7}) {
        for (double k : {0.0, 2.0}) {
            for (size_t i = 0; i < rows.size(); ++i) {
                Params p;
                p.temperature = t;
                p.top_k = k;
                p.top_p = 0.9;
                int32_t tok = 7;
                run_sample<C>(p, 1, 3, rows[i].data(), nullptr, 0, &tok);
                check(tok == want[i], std::string("edge row ") + std::to_string(i) + " " + type_name<C>());
            }
        }
    }
    int32_t tok = 7;
    Params p;
    run_sample<C>(p, 1, 0, nullptr, nullptr, 0, &tok);
    check(tok == -1, "n = 0 gives -1");
    // A bias of -inf on every finite token leaves all -inf: -1. A repetition penalty < 1 that
    // overflows float makes +inf: -1.
    std::vector<C> x = {1, 2, 3};
    p.bias_ids = {0, 1, 2};
    p.bias_values = {-INFINITY, -INFINITY, -INFINITY};
    run_sample<C>(p, 1, 3, x.data(), nullptr, 0, &tok);
    check(tok == -1, "all banned by the bias gives -1");
    Params q;
    q.repetition = 0.5;
    int32_t hist[] = {2};
    x[2] = std::numeric_limits<C>::max();
    run_sample<C>(q, 1, 3, x.data(), hist, 1, &tok);
    check(tok == -1, "a penalty that overflows to +inf gives -1");
    // Greedy ties go to the lowest id; a banned maximum is skipped.
    std::vector<C> t = {1, 5, 5, 2};
    Params g;
    g.temperature = 0;
    run_sample<C>(g, 1, 4, t.data(), nullptr, 0, &tok);
    check(tok == 1, "greedy ties: lowest id");
    g.bias_ids = {1};
    g.bias_values = {-INFINITY};
    run_sample<C>(g, 1, 4, t.data(), nullptr, 0, &tok);
    check(tok == 2, "greedy skips a banned maximum");
}

// Threads: the tokens of a batch do not depend on the thread count; repeated calls agree.
template <class C>
void test_sampler_threads() {
    std::mt19937_64 rng(3);
    const int64_t rows = 16, n = 20000;
    std::vector<C> x;
    for (int64_t r = 0; r < rows; ++r) {
        auto row = random_row<C>(rng, n, 3, 0);
        x.insert(x.end(), row.begin(), row.end());
    }
    Params p;
    p.temperature = 0.9;
    p.top_p = 0.95;
    p.seed = 99;
    std::vector<int32_t> a(rows), b(rows), c(rows);
    sm4j_set_num_threads(1);
    run_sample(p, rows, n, x.data(), nullptr, 0, a.data());
    sm4j_set_num_threads(2);
    run_sample(p, rows, n, x.data(), nullptr, 0, b.data());
    run_sample(p, rows, n, x.data(), nullptr, 0, c.data());
    sm4j_set_num_threads(0);
    check(a == b && b == c, std::string("tokens independent of threads and repeatable, ") + type_name<C>());
    // Different steps and rows are different draws.
    Params q = p;
    q.step = 1;
    std::vector<int32_t> d(rows);
    run_sample(q, rows, n, x.data(), nullptr, 0, d.data());
    check(d != a, "another step draws differently");
}

// Log-probabilities under the raw log-softmax.
template <class C>
void test_logprobs() {
    std::vector<C> x = {1, 3, 3, -2, 0.5};
    const int64_t n = 5, top = 3;
    Params p;
    p.temperature = 0;
    p.bias_ids = {3};
    p.bias_values = {10};  // the token becomes 3, but logprobs are of the raw logits
    int32_t tok;
    C lp;
    int32_t ids[3];
    C lps[3];
    run_sample<C>(p, 1, n, x.data(), nullptr, 0, &tok, top, &lp, ids, lps);
    ld lse = 0;
    for (C v : x) lse += std::exp(ld(v));
    lse = std::log(lse);
    check(tok == 3, "bias decides the token");
    check(std::fabs(ld(lp) - (ld(-2) - lse)) < 1e-5, "token logprob under the raw log-softmax");
    check(ids[0] == 1 && ids[1] == 2 && ids[2] == 0, "top ids: by logprob, ties by id");
    check(std::fabs(ld(lps[0]) - (3 - lse)) < 1e-5 && std::fabs(ld(lps[2]) - (1 - lse)) < 1e-5, "top logprobs");
    std::vector<C> bad = {1, std::numeric_limits<C>::quiet_NaN(), 2, 0, 0};
    run_sample<C>(p, 1, n, bad.data(), nullptr, 0, &tok, top, &lp, ids, lps);
    check(tok == -1 && std::isnan(lp) && ids[0] == -1 && std::isnan(lps[0]), "a NaN row: -1 and NaN");
}

// ---------------------------------------------------------------- attention

template <class C>
void test_attention() {
    std::mt19937_64 rng(5);
    const C inf = std::numeric_limits<C>::infinity();
    const double tol = sizeof(C) == 4 ? 2e-6 : 1e-13;
    // 40 x 1000 runs on two threads (with the rows of a causal block in zigzag order).
    for (auto [rows, n] : {std::pair<int64_t, int64_t>{1, 1}, {5, 7}, {17, 33}, {64, 300}, {3, 5000}, {40, 1000}}) {
        for (bool causal : {false, true}) {
            for (int64_t offset : {int64_t(0), int64_t(2), int64_t(-3), n, int64_t(INT64_MAX / 2), -int64_t(INT64_MAX / 2)}) {
                for (int64_t window : {int64_t(0), int64_t(1), int64_t(4)}) {
                    if (!causal && (offset != 0 || window != 0)) continue;
                    for (int bias_kind : {0, 1, 2}) {
                        auto s = random_row<C>(rng, rows * n, 3, 0);
                        auto b = random_row<C>(rng, bias_kind == 2 ? n : rows * n, 1, 0);
                        if (n > 3) b[2] = -inf;
                        const C *bp = bias_kind == 0 ? nullptr : b.data();
                        const int64_t ldb = bias_kind == 1 ? n : 0;
                        const double scale = 0.125;
                        for (int op : {SM4J_SOFTMAX, SM4J_LOG_SOFTMAX, SM4J_LOGSUMEXP}) {
                            const int64_t wout = op == SM4J_LOGSUMEXP ? 1 : n;
                            // guard elements around the output
                            std::vector<C> y(static_cast<size_t>(rows * wout + 2), C(777));
                            attention<C>(op, rows, n, s.data(), n, bp, ldb, y.data() + 1, wout, scale, causal, offset,
                                         window);
                            check(y.front() == C(777) && y.back() == C(777), "attention writes only its output");
                            double worst = 0;
                            bool exact_masked = true;
                            for (int64_t i = 0; i < rows; ++i) {
                                __int128 last = (__int128)i + offset;
                                int64_t hi = causal ? int64_t(std::min<__int128>(std::max<__int128>(last + 1, 0), n)) : n;
                                int64_t lo = causal && window > 0
                                                     ? int64_t(std::min<__int128>(std::max<__int128>(last - window + 1, 0), hi))
                                                     : 0;
                                std::vector<ld> z;
                                for (int64_t j = lo; j < hi; ++j) {
                                    ld v = ld(C(scale)) * s[size_t(i * n + j)];
                                    if (bp) v += bp[size_t(i * ldb + j)];
                                    z.push_back(v);
                                }
                                ld m = -INFINITY;
                                for (ld v : z) m = std::max(m, v);
                                ld sum = 0;
                                for (ld v : z) sum += std::exp(v - m);
                                ld lse = z.empty() ? -INFINITY : m + std::log(sum);
                                const C *yr = y.data() + 1 + i * wout;
                                if (op == SM4J_LOGSUMEXP) {
                                    worst = std::max<double>(worst, z.empty() ? (yr[0] == -inf ? 0 : 1) : double(std::fabs(yr[0] - lse) / (1 + std::fabs(lse))));
                                    continue;
                                }
                                for (int64_t j = 0; j < n; ++j) {
                                    if (j < lo || j >= hi) {
                                        exact_masked = exact_masked && (op == SM4J_SOFTMAX ? yr[j] == C(0) && !std::signbit(yr[j]) : yr[j] == -inf);
                                        continue;
                                    }
                                    ld v = z[size_t(j - lo)];
                                    ld want = op == SM4J_SOFTMAX ? std::exp(v - lse) : v - lse;
                                    if (std::isinf(want)) {
                                        exact_masked = exact_masked && yr[j] == C(want);
                                        continue;
                                    }
                                    double err = double(std::fabs(ld(yr[j]) - want) / (op == SM4J_SOFTMAX ? want + 1e-30 : 1 + std::fabs(want)));
                                    if (op == SM4J_SOFTMAX && want < 1e-30) err = 0;
                                    worst = std::max(worst, err);
                                }
                            }
                            const std::string what = std::string("attention ") + type_name<C>() + " op=" + std::to_string(op) +
                                                     " " + std::to_string(rows) + "x" + std::to_string(n) + " causal=" +
                                                     std::to_string(causal) + " offset=" + std::to_string(offset) +
                                                     " window=" + std::to_string(window) + " bias=" + std::to_string(bias_kind);
                            check(exact_masked, what + ": masked entries exactly 0 / -inf");
                            check(worst <= tol * 40, what + ": error " + str(worst));
                        }
                        // In place agrees with out of place.
                        std::vector<C> y(s.size()), inplace = s;
                        attention<C>(SM4J_SOFTMAX, rows, n, s.data(), n, bp, ldb, y.data(), n, 0.125, causal, offset, window);
                        attention<C>(SM4J_SOFTMAX, rows, n, inplace.data(), n, bp, ldb, inplace.data(), n, 0.125, causal,
                                     offset, window);
                        check(std::memcmp(y.data(), inplace.data(), y.size() * sizeof(C)) == 0, "attention in place");
                    }
                }
            }
        }
    }
    // The rows' order and threads change nothing: 1, 2 and 3 threads agree bit for bit. With
    // more than one thread a causal block's rows go in chunks from both ends (attention.cpp):
    // 64 rows make chunks of 4 on 2 threads, 301 of 18 with a last chunk of 13, 1000 of 32 with
    // a last of 8. A row skipped (it keeps the 777 it started with) or given another row's
    // visible run differs.
    for (int64_t rows : {int64_t(64), int64_t(301), int64_t(1000)}) {
        for (int64_t window : {int64_t(0), int64_t(100)}) {
            for (int op : {SM4J_SOFTMAX, SM4J_LOG_SOFTMAX, SM4J_LOGSUMEXP}) {
                const int64_t n = 1024, wout = op == SM4J_LOGSUMEXP ? 1 : n;
                auto sc = random_row<C>(rng, rows * n, 3, 0);
                std::vector<C> one(size_t(rows * wout), C(777));
                sm4j_set_num_threads(1);
                attention<C>(op, rows, n, sc.data(), n, nullptr, 0, one.data(), wout, 0.125, true, 3, window);
                for (int threads : {2, 3}) {
                    std::vector<C> more(one.size(), C(777));
                    sm4j_set_num_threads(threads);
                    attention<C>(op, rows, n, sc.data(), n, nullptr, 0, more.data(), wout, 0.125, true, 3, window);
                    check(std::memcmp(one.data(), more.data(), one.size() * sizeof(C)) == 0,
                          std::string("causal attention on 1 and ") + std::to_string(threads) + " threads, " +
                                  type_name<C>() + " op=" + std::to_string(op) + " rows=" + std::to_string(rows) +
                                  " window=" + std::to_string(window));
                }
                sm4j_set_num_threads(0);
            }
        }
    }
    // Masked entries are never read: NaN there changes nothing.
    std::vector<C> s = {1, 2, std::numeric_limits<C>::quiet_NaN(), 4, 5, 6}, y(6);
    attention<C>(SM4J_SOFTMAX, 2, 3, s.data(), 3, nullptr, 0, y.data(), 3, 1.0, true, 0, 0);
    check(!std::isnan(y[0]) && y[1] == 0 && y[2] == 0 && !std::isnan(y[3] + y[4] + y[5]), "masked NaN is not read");
}

// Each row of a masked block is the plain row operation on its visible run, bit for bit, with
// the rest exactly 0 / -inf: in every kernel set, for rows of every length around the vector
// widths (the runs 0..n of a causal block), offsets below, inside and beyond the block, and
// windows. The masked scores are NaN, so that reading one column too many (or too few: the
// plain operation's bits then differ) at either end of a run fails; the output has a stride
// of n + 3 whose padding must keep its guard.
template <class C>
void test_attention_runs(const char *set_name) {
    if (sm4j_force_kernels(set_name) != 0) return;
    const std::string tag = std::string(set_name) + " " + type_name<C>();
    std::mt19937_64 rng(23);
    const C nan = std::numeric_limits<C>::quiet_NaN(), inf = std::numeric_limits<C>::infinity();
    const C guard = C(777);
    const double scale = 0.125;
    int64_t rows_checked = 0, mismatches = 0;
    for (int64_t n : {1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 127, 128, 129, 2049}) {
        const int64_t rows = std::min<int64_t>(n + 2, 70);
        for (int64_t offset : {int64_t(0), int64_t(-1), int64_t(1), int64_t(-5), n - 1, n, n + 1, -n, -n - 1,
                               n - rows + 1}) {
            for (int64_t window : {int64_t(0), int64_t(1), int64_t(2), int64_t(16), int64_t(17), n, n + 1}) {
                const int64_t stride = n + 3;
                std::vector<C> s(static_cast<size_t>(rows * n)), want(static_cast<size_t>(n));
                for (auto &v : s) v = C(std::normal_distribution<double>(0, 3)(rng));
                std::vector<int64_t> lo(static_cast<size_t>(rows)), hi(static_cast<size_t>(rows));
                for (int64_t i = 0; i < rows; ++i) {
                    const int64_t last = i + offset;  // small here: no overflow
                    hi[size_t(i)] = std::min<int64_t>(std::max<int64_t>(last + 1, 0), n);
                    lo[size_t(i)] = window > 0 ? std::min<int64_t>(std::max<int64_t>(last - window + 1, 0), hi[size_t(i)]) : 0;
                    for (int64_t j = 0; j < n; ++j)
                        if (j < lo[size_t(i)] || j >= hi[size_t(i)]) s[size_t(i * n + j)] = nan;
                }
                for (int op : {SM4J_SOFTMAX, SM4J_LOG_SOFTMAX, SM4J_LOGSUMEXP}) {
                    const bool lse = op == SM4J_LOGSUMEXP;
                    const int64_t ldy = lse ? 2 : stride;
                    std::vector<C> y(static_cast<size_t>(rows * ldy), guard);
                    attention<C>(op, rows, n, s.data(), n, nullptr, 0, y.data(), ldy, scale, true, offset, window);
                    const C outside = op == SM4J_SOFTMAX ? C(0) : -inf;
                    for (int64_t i = 0; i < rows; ++i) {
                        const int64_t a = lo[size_t(i)], b = hi[size_t(i)];
                        const C *yr = y.data() + i * ldy;
                        bool ok = true;
                        if (lse) {
                            C w = -inf;
                            if (b > a) rows_op<C>(op, s.data() + i * n + a, b - a, &w, 1, 1, b - a, scale);
                            ok = std::memcmp(&w, yr, sizeof(C)) == 0 && yr[1] == guard;
                        } else {
                            if (b > a) rows_op<C>(op, s.data() + i * n + a, b - a, want.data(), b - a, 1, b - a, scale);
                            for (int64_t j = 0; j < n; ++j) {
                                const bool visible = j >= a && j < b;
                                ok = ok && (visible ? std::memcmp(&yr[j], &want[size_t(j - a)], sizeof(C)) == 0
                                                    : yr[j] == outside && std::signbit(yr[j]) == std::signbit(outside));
                            }
                            for (int64_t j = n; j < stride; ++j) ok = ok && yr[j] == guard;
                        }
                        ++rows_checked;
                        if (!ok && ++mismatches <= 5)
                            check(false, "attention run " + tag + " op=" + std::to_string(op) + " n=" + std::to_string(n) +
                                                 " offset=" + std::to_string(offset) + " window=" +
                                                 std::to_string(window) + " row " + std::to_string(i));
                    }
                }
            }
        }
    }
    std::printf("attention runs %s: %lld rows, %lld differ from the plain operation on the run\n", tag.c_str(),
                (long long)rows_checked, (long long)mismatches);
    check(mismatches == 0, "attention rows are the plain operation on their runs, " + tag);
}

}  // namespace

int main(int argc, char **argv) {
    bool quick = argc > 1 && std::string(argv[1]) == "--quick";
    (void)quick;
    test_philox();
    test_selection();
    test_weight_accuracy<float>();
    test_weight_accuracy<double>();
    for (const char *set : {"generic", "avx2", "avx512", "neon"}) {
        test_kernels_match<float>(set);
        test_kernels_match<double>(set);
        test_candidate_kernels<float>(set);
        test_candidate_kernels<double>(set);
    }
    for (const char *set : {"generic", "avx2", "avx512", "neon"}) {
        test_sampler_against_reference<float>(set);
        test_sampler_against_reference<double>(set);
        test_sampler_wide_nucleus<float>(set);
        test_sampler_wide_nucleus<double>(set);
        test_attention_runs<float>(set);
        test_attention_runs<double>(set);
    }
    test_sampler_top_p_boundaries<float>();
    test_sampler_top_p_boundaries<double>();
    sm4j_force_kernels(sm4j::active_kernels().name);
    test_sampler_edges<float>();
    test_sampler_edges<double>();
    test_sampler_threads<float>();
    test_sampler_threads<double>();
    test_logprobs<float>();
    test_logprobs<double>();
    test_attention<float>();
    test_attention<double>();
    return sm4j_test::summary();
}
