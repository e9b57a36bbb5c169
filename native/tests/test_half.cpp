// Native tests of half-precision storage: the conversions of every set this CPU runs against the
// scalar functions and against an independent definition (nearest representable value, computed
// in double with the FPU's round-to-nearest-even), at the edges (±0, subnormals, ±inf, NaN
// payloads, the largest finite values, ties) and on a sweep of float bit patterns; then every
// operation that takes half data, through sm4j_run on each kernel set, against the float
// operation on the widened inputs (bit for bit) and softmax against long double (1 ulp of the
// half type).
#include <cfenv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "check.hpp"
#include "kernels/half_kernels.hpp"
#include "softmax4j.h"

namespace {

using sm4j::HalfKernels;
using sm4j_test::check;
namespace half = sm4j::half;

// check() for the sweeps, which make millions of checks: the message is built only on failure.
#define CHECK_LAZY(ok, message)                 \
    do {                                        \
        if (ok) {                               \
            ++sm4j_test::g_checks;              \
        } else {                                \
            check(false, message);              \
        }                                       \
    } while (0)

std::string hex(uint32_t v) {
    char b[16];
    std::snprintf(b, sizeof b, "0x%08x", v);
    return b;
}

// ---------------------------------------------------------------- an independent definition

// The value nearest to finite v among numbers with `digits` significant bits whose exponent is
// at least emin (below it: subnormal spacing 2^(emin - digits + 1)), ties to even; ±inf past
// `max` and its half-ulp tie (the largest finite value is odd, so its tie goes up).
double nearest(double v, int digits, int emin, double max) {
    if (v == 0) return v;
    int e;
    std::frexp(v, &e);  // |v| in [2^(e-1), 2^e)
    const int exp = std::max(e - 1, emin);
    const double ulp = std::ldexp(1.0, exp - digits + 1);
    const double r = std::nearbyint(v / ulp) * ulp;  // the FPU's mode: nearest, ties to even
    if (std::fabs(r) > max) return std::copysign(INFINITY, v);
    return r == 0 ? std::copysign(0.0, v) : r;
}

double nearest_f16(float f) { return nearest(f, 11, -14, 65504.0); }

double nearest_bf16(float f) {
    if (std::fpclassify(f) == FP_SUBNORMAL) return std::copysign(0.0, f);  // flushed, as the hardware
    return nearest(f, 8, -126, double(std::numeric_limits<float>::max()));
}

// ---------------------------------------------------------------- conversions

std::vector<float> edge_floats() {
    std::vector<uint32_t> bits = {
        0x00000000, 0x80000000,                          // ±0
        0x00000001, 0x80000001, 0x007fffff, 0x00400000,  // float subnormals
        0x00800000, 0x80800000,                          // the smallest normal float
        0x7f800000, 0xff800000,                          // ±inf
        0x7f800001, 0xff800001, 0x7fa00000, 0x7fc00000,  // NaN: signalling, payloads, quiet
        0x7fffffff, 0xffc00001, 0x7f802000, 0x7fbfe000,
        0x7f7fffff, 0xff7fffff, 0x7f7f0000, 0x7f7f7fff,  // float max; bfloat16 max and below its tie
        0x7f7f8000, 0x7f7e8000,                          // ties above bfloat16 max (to inf) and below
        0x477fe000, 0x477fefff, 0x477ff000, 0x477ff001,  // float16 max 65504, just below/at/above the tie
        0x3f801000, 0x3f803000, 0x3f801001,              // float16 ties at 1 + 2^-11 (to 1), + 3·2^-11 (up)
        0x3f808000, 0x3f818000, 0x3f808001,              // bfloat16 ties at 1 + 2^-8, 1 + 3·2^-8
        0x33800000, 0x33000000, 0x33000001, 0x33c00000,  // float16 2^-24, 2^-25 (tie to 0), 3·2^-25
        0x38800000, 0x387fe000, 0x387ff000, 0x387fc000,  // float16 min normal, its neighbours
        0x34400000, 0x34a00000,                          // float16 subnormal ties 3·2^-24... 
        0x3f800000, 0xbf800000, 0x40490fdb, 0xc2c80000};
    std::vector<float> v;
    for (uint32_t b : bits) v.push_back(half::from_bits(b));
    return v;
}

void check_narrow_value(const char *set, const char *type, float f, uint16_t got, bool bf16) {
    auto where = [&] { return std::string(set) + " " + type + " " + hex(half::bits(f)); };
    const float back = bf16 ? half::bf16_to_f32(got) : half::f16_to_f32(got);
    if (std::isnan(f)) {
        // NaN stays NaN, quiet, with its sign and the top of its payload.
        const uint32_t x = half::bits(f);
        const uint16_t want = bf16 ? uint16_t((x >> 16) | 0x40) : uint16_t(((x >> 16) & 0x8000) | 0x7e00 | ((x >> 13) & 0x3ff));
        CHECK_LAZY(got == want, where() + ": NaN gives " + hex(got) + ", want " + hex(want));
        return;
    }
    const double want = bf16 ? nearest_bf16(f) : nearest_f16(f);
    const bool same = double(back) == want && std::signbit(back) == std::signbit(want);
    CHECK_LAZY(same, where() + ": gives " + hex(got) + " = " + std::to_string(back) + ", want " + std::to_string(want));
}

void conversion_tests(const HalfKernels &h) {
    // Widening: every 16-bit pattern, against the scalar functions and the definition.
    std::vector<uint16_t> all(65536);
    for (uint32_t i = 0; i < 65536; ++i) all[i] = uint16_t(i);
    std::vector<float> wide(65536);
    h.bf16_to_f32(all.data(), wide.data(), 65536);
    for (uint32_t i = 0; i < 65536; ++i)
        CHECK_LAZY(half::bits(wide[i]) == (i << 16), std::string(h.name) + " bf16 " + hex(i) + " widens by a shift");
    h.f16_to_f32(all.data(), wide.data(), 65536);
    for (uint32_t i = 0; i < 65536; ++i) {
        const uint32_t e = (i >> 10) & 0x1f, m = i & 0x3ff;
        const double mag = e == 0 ? std::ldexp(double(m), -24) : e == 31 ? INFINITY : std::ldexp(1024.0 + m, int(e) - 25);
        const double want = (i & 0x8000) ? -mag : mag;
        auto where = [&] { return std::string(h.name) + " f16 " + hex(i); };
        if (e == 31 && m != 0) {
            CHECK_LAZY(half::bits(wide[i]) == (((i & 0x8000) << 16) | 0x7fc00000u | (m << 13)), where() + ": quiet NaN, payload kept");
        } else {
            CHECK_LAZY(double(wide[i]) == want && std::signbit(wide[i]) == bool(i & 0x8000), where() + " widens exactly");
        }
        CHECK_LAZY(half::bits(wide[i]) == half::bits(half::f16_to_f32(uint16_t(i))), where() + " as the scalar function");
    }
    // Narrowing: the edges, then a sweep of bit patterns (a step prime to every field width),
    // each in a run long enough for the vector loop and its scalar tail.
    std::vector<float> xs = edge_floats();
    for (uint64_t b = 0; b < (uint64_t(1) << 32); b += 4093) xs.push_back(half::from_bits(uint32_t(b)));
    std::vector<uint16_t> bf(xs.size()), f16(xs.size());
    h.f32_to_bf16(xs.data(), bf.data(), int64_t(xs.size()));
    h.f32_to_f16(xs.data(), f16.data(), int64_t(xs.size()));
    for (size_t i = 0; i < xs.size(); ++i) {
        check_narrow_value(h.name, "bf16", xs[i], bf[i], true);
        check_narrow_value(h.name, "f16", xs[i], f16[i], false);
        CHECK_LAZY(bf[i] == half::f32_to_bf16(xs[i]), std::string(h.name) + " bf16 as the scalar function at " + hex(half::bits(xs[i])));
        CHECK_LAZY(f16[i] == half::f32_to_f16(xs[i]), std::string(h.name) + " f16 as the scalar function at " + hex(half::bits(xs[i])));
    }
    // Round trips: every finite half value narrows back to itself.
    for (uint32_t i = 0; i < 65536; ++i) {
        const uint16_t p = uint16_t(i);
        float w;
        uint16_t back;
        if (((i >> 7) & 0xff) != 0xff && ((i >> 7) & 0xff) != 0) {  // normal bfloat16 (subnormals flush)
            h.bf16_to_f32(&p, &w, 1);
            h.f32_to_bf16(&w, &back, 1);
            CHECK_LAZY(back == p, std::string(h.name) + " bf16 round trip " + hex(i));
        }
        if (((i >> 10) & 0x1f) != 0x1f) {
            h.f16_to_f32(&p, &w, 1);
            h.f32_to_f16(&w, &back, 1);
            CHECK_LAZY(back == p, std::string(h.name) + " f16 round trip " + hex(i));
        }
    }
}

// ---------------------------------------------------------------- operations

sm4j_operand op16(std::vector<uint16_t> &v, int64_t ld, int32_t dtype) { return {v.data(), ld, dtype}; }

template <class T>
sm4j_operand opv(std::vector<T> &v, int64_t ld, int32_t dtype) {
    return {v.data(), ld, dtype};
}

std::vector<uint16_t> narrow_all(const std::vector<float> &f, int32_t dtype) {
    std::vector<uint16_t> h(f.size());
    for (size_t i = 0; i < f.size(); ++i) h[i] = dtype == SM4J_BF16 ? half::f32_to_bf16(f[i]) : half::f32_to_f16(f[i]);
    return h;
}

std::vector<float> widen_all(const std::vector<uint16_t> &h, int32_t dtype) {
    std::vector<float> f(h.size());
    for (size_t i = 0; i < h.size(); ++i) f[i] = dtype == SM4J_BF16 ? half::bf16_to_f32(h[i]) : half::f16_to_f32(h[i]);
    return f;
}

// One operation on half input x (rows x n, stride ldx) with the output in `out` dtype (half or
// F32), against the float operation on the widened x: bit for bit. `extra` fills in[1..] and
// out[0] for the ops that have them.
struct Case {
    int32_t op;
    int64_t rows, n, k;
    double a, param;
};

void compare(const char *set, const Case &cs, int32_t dtype, int32_t out_type, std::mt19937_64 &rng) {
    const int32_t code = cs.op & 0xff;
    const int64_t ldx = cs.n + 3;
    std::normal_distribution<float> dist(0.f, 4.f);
    std::vector<float> xf(size_t(cs.rows * ldx));
    for (float &v : xf) v = dist(rng);
    if (!xf.empty()) {
        xf[0] = -INFINITY;
        if (xf.size() > 5) xf[5] = 1e30f;  // overflows float16 to inf
    }
    if ((code == SM4J_SOFTMAX || code == SM4J_LOG_SOFTMAX || code == SM4J_LOGSUMEXP) && cs.rows >= 4 && cs.n >= 3) {
        xf[size_t(ldx + 2)] = NAN;                                             // a NaN row
        for (int64_t j = 0; j < cs.n; ++j) xf[size_t(2 * ldx + j)] = -INFINITY;  // all -inf
        xf[size_t(3 * ldx + 1)] = INFINITY;                                    // a dominant +inf
    }
    std::vector<uint16_t> xh = narrow_all(xf, dtype);
    std::vector<float> xw = widen_all(xh, dtype);
    const bool lse = code == SM4J_LOGSUMEXP || code == SM4J_MASKED_LOGSUMEXP || code == SM4J_ATTENTION_LOGSUMEXP;
    const bool sampling = code == SM4J_SAMPLE || code == SM4J_TOP_LOGPROBS;
    const int64_t w = lse ? 1 : code == SM4J_TOP_LOGPROBS ? cs.k + 1 : cs.n;
    const int64_t ldy = w + 2;
    std::vector<uint8_t> mask(size_t(cs.rows * cs.n));
    for (auto &m : mask) m = uint8_t(rng() % 4 != 0);
    std::vector<float> biasf(size_t(cs.rows * cs.n));
    for (float &v : biasf) v = dist(rng);
    std::vector<uint16_t> biash = narrow_all(biasf, dtype);
    std::vector<float> biasw = widen_all(biash, dtype);
    const int64_t ldi = std::max<int64_t>(cs.k, 1);
    std::vector<int32_t> ids(size_t(cs.rows * ldi)), ids_ref(ids.size()), tok(size_t(cs.rows));
    for (int64_t r = 0; r < cs.rows; ++r) tok[size_t(r)] = int32_t(rng() % uint64_t(std::max<int64_t>(cs.n, 1)));
    std::vector<double> spec = {0.8, 5, 0.9, 0.0, 1.1, 0.0, 0.0, 7, 0, 0};

    auto fill = [&](sm4j_call &c, bool is_half) {
        c.in[0] = is_half ? op16(xh, ldx, dtype) : opv(xw, ldx, SM4J_F32);
        if (code >= SM4J_MASKED_SOFTMAX && code <= SM4J_MASKED_LOGSUMEXP) c.in[1] = opv(mask, cs.n, SM4J_BOOL);
        if (code >= SM4J_ATTENTION_SOFTMAX && code <= SM4J_ATTENTION_LOGSUMEXP)
            c.in[1] = is_half ? op16(biash, cs.n, dtype) : opv(biasw, cs.n, SM4J_F32);
        if (code == SM4J_SAMPLE) c.in[2] = opv(spec, 10, SM4J_F64);
        if (code == SM4J_TOP_LOGPROBS) c.in[1] = opv(tok, 1, SM4J_I32);
    };
    // The reference: float in, float out.
    std::vector<float> want(size_t(cs.rows * ldy), 7.f);
    sm4j_call ref = sm4j_test::call(cs.op, cs.rows, cs.n, cs.k, cs.a, cs.param);
    fill(ref, false);
    if (code == SM4J_SAMPLE) {
        ref.out[0] = opv(ids_ref, 1, SM4J_I32);
    } else if (code == SM4J_TOP_LOGPROBS) {
        ref.out[0] = opv(ids_ref, ldi, SM4J_I32);
        ref.out[1] = opv(want, ldy, SM4J_F32);
    } else {
        ref.out[0] = opv(want, ldy, SM4J_F32);
    }
    sm4j_run(&ref);

    sm4j_call c = sm4j_test::call(cs.op, cs.rows, cs.n, cs.k, cs.a, cs.param);
    fill(c, true);
    std::vector<float> gotf(want.size(), 7.f);
    std::vector<uint16_t> goth(want.size(), 0x1234);
    sm4j_operand y = out_type == SM4J_F32 ? opv(gotf, ldy, SM4J_F32) : op16(goth, ldy, out_type);
    if (code == SM4J_SAMPLE) {
        c.out[0] = opv(ids, 1, SM4J_I32);
    } else if (code == SM4J_TOP_LOGPROBS) {
        c.out[0] = opv(ids, ldi, SM4J_I32);
        c.out[1] = y;
    } else {
        c.out[0] = y;
    }
    sm4j_run(&c);
    const std::string where = std::string(set) + " op " + std::to_string(cs.op) + " " + std::to_string(cs.rows) + "x" +
                              std::to_string(cs.n) + (dtype == SM4J_BF16 ? " bf16" : " f16") +
                              (out_type == SM4J_F32 ? " -> f32" : " -> half");
    if (sampling) check(ids == ids_ref, where + ": the same token ids");
    if (code == SM4J_SAMPLE) return;
    int64_t bad = 0;
    for (int64_t r = 0; r < cs.rows; ++r) {
        for (int64_t j = 0; j < ldy; ++j) {
            const size_t i = size_t(r * ldy + j);
            if (j >= w) {  // the gap between rows is not written
                bad += out_type == SM4J_F32 ? gotf[i] != 7.f : goth[i] != 0x1234;
                continue;
            }
            if (out_type == SM4J_F32) {
                bad += half::bits(gotf[i]) != half::bits(want[i]) && !(std::isnan(gotf[i]) && std::isnan(want[i]));
            } else {
                const uint16_t e = out_type == SM4J_BF16 ? half::f32_to_bf16(want[i]) : half::f32_to_f16(want[i]);
                bad += goth[i] != e;
            }
        }
    }
    check(bad == 0, where + ": " + std::to_string(bad) + " elements differ from the float operation, narrowed");
}

void operation_tests(const char *set) {
    std::mt19937_64 rng(7);
    const Case cases[] = {
        {SM4J_SOFTMAX, 7, 33, 0, 1.0, 0},
        {SM4J_SOFTMAX, 300, 1000, 0, 0.5, 0},       // many blocks over threads
        {SM4J_SOFTMAX, 3, 40000, 0, 1.0, 0},        // long rows: split by the float operation
        {SM4J_SOFTMAX, 1, 0, 0, 1.0, 0},
        {SM4J_LOG_SOFTMAX, 64, 777, 0, 2.0, 0},
        {SM4J_LOG_SOFTMAX, 2, 70000, 0, 1.0, 0},
        {SM4J_LOGSUMEXP, 100, 513, 0, 1.0, 0},
        {SM4J_LOGSUMEXP, 5, 0, 0, 1.0, 0},
        // The row operations run their kernels on the half rows (rows.cpp): every tail length of
        // the vector loops, a < 0, a = 0, a tiny scale (the scalar wide path), rows of several
        // online blocks, a row long enough to split (the widening layer).
        {SM4J_SOFTMAX, 9, 1, 0, 1.0, 0},
        {SM4J_SOFTMAX, 9, 15, 0, -1.0, 0},
        {SM4J_LOG_SOFTMAX, 9, 17, 0, 1.0, 0},
        {SM4J_LOGSUMEXP, 9, 63, 0, -0.5, 0},
        {SM4J_SOFTMAX, 9, 65, 0, 0.0, 0},
        {SM4J_LOG_SOFTMAX, 9, 66, 0, 0.0, 0},
        {SM4J_LOGSUMEXP, 9, 67, 0, 0.0, 0},
        {SM4J_SOFTMAX, 9, 70, 0, 1e-37, 0},
        {SM4J_LOG_SOFTMAX, 9, 31, 0, -1e-37, 0},
        {SM4J_LOGSUMEXP, 9, 33, 0, 1e-37, 0},
        // Rows of up to two vectors: the short-row kernels (softmax_small, partial_small).
        {SM4J_SOFTMAX, 9, 32, 0, 2.0, 0},
        {SM4J_LOG_SOFTMAX, 9, 8, 0, -3.0, 0},
        {SM4J_LOGSUMEXP, 9, 20, 0, 1.0, 0},
        {SM4J_LOGSUMEXP, 9, 3, 0, -1.0, 0},
        {SM4J_SOFTMAX, 5, 5000, 0, 1.0, 0},
        {SM4J_LOG_SOFTMAX, 5, 5000, 0, 3.0, 0},
        {SM4J_LOGSUMEXP, 5, 5000, 0, 1.0, 0},
        {SM4J_SOFTMAX, 1, 40000, 0, 1.0, 0},
        {SM4J_LOGSUMEXP, 1, 70000, 0, 1.0, 0},
        {SM4J_MASKED_SOFTMAX, 50, 129, 0, 1.0, 0},
        {SM4J_MASKED_LOG_SOFTMAX, 9, 64, 0, 1.0, 0},
        {SM4J_MASKED_LOGSUMEXP, 40, 1000, 0, 1.0, 0},
        {SM4J_ATTENTION_SOFTMAX | SM4J_CAUSAL, 200, 200, 3, 0.125, 0},
        {SM4J_ATTENTION_LOG_SOFTMAX | SM4J_CAUSAL, 70, 90, 0, 0.25, 16},
        {SM4J_ATTENTION_LOGSUMEXP | SM4J_BROADCAST, 40, 300, 0, 0.25, 0},
        {SM4J_ATTENTION_SOFTMAX | SM4J_BROADCAST | SM4J_CAUSAL, 100, 100, 0, 0.5, 0},
        {SM4J_SAMPLE, 30, 5000, 0, 1.0, 3},
        {SM4J_SAMPLE, 4, 40000, 0, 1.0, 0},
        {SM4J_TOP_LOGPROBS, 20, 700, 5, 1.0, 0},
    };
    for (const Case &cs : cases)
        for (int32_t dtype : {SM4J_BF16, SM4J_F16})
            for (int32_t out : {dtype, int32_t(SM4J_F32)}) compare(set, cs, dtype, out, rng);
}

// Softmax of half logits to half probabilities within 1 ulp of the half type of the exact result.
void accuracy_tests(const char *set) {
    std::mt19937_64 rng(11);
    std::normal_distribution<float> dist(0.f, 3.f);
    const int64_t rows = 50, n = 1000;
    for (int32_t dtype : {SM4J_BF16, SM4J_F16}) {
        std::vector<float> xf(size_t(rows * n));
        for (float &v : xf) v = dist(rng);
        std::vector<uint16_t> x = narrow_all(xf, dtype), y(x.size());
        std::vector<float> xw = widen_all(x, dtype);
        sm4j_call c = sm4j_test::call(SM4J_SOFTMAX, rows, n, 0, 1.0);
        c.in[0] = op16(x, n, dtype);
        c.out[0] = op16(y, n, dtype);
        sm4j_run(&c);
        double worst = 0;
        for (int64_t r = 0; r < rows; ++r) {
            long double m = -INFINITY, s = 0;
            for (int64_t j = 0; j < n; ++j) m = std::max<long double>(m, xw[size_t(r * n + j)]);
            for (int64_t j = 0; j < n; ++j) s += std::exp((long double)xw[size_t(r * n + j)] - m);
            for (int64_t j = 0; j < n; ++j) {
                const double exact = double(std::exp((long double)xw[size_t(r * n + j)] - m) / s);
                const float got = dtype == SM4J_BF16 ? half::bf16_to_f32(y[size_t(r * n + j)]) : half::f16_to_f32(y[size_t(r * n + j)]);
                // One ulp of the half type at the exact value (float16 subnormals: 2^-24).
                int e;
                std::frexp(exact, &e);
                const double ulp = dtype == SM4J_BF16 ? std::ldexp(1.0, std::max(e - 1, -126) - 7)
                                                      : std::ldexp(1.0, std::max(e - 1, -14) - 10);
                worst = std::max(worst, std::fabs(double(got) - exact) / ulp);
            }
        }
        check(worst <= 1.0, std::string(set) + (dtype == SM4J_BF16 ? " bf16" : " f16") +
                                " softmax within 1 ulp of the exact result: worst " + std::to_string(worst));
        std::printf("  %s %s softmax 50x1000: worst error %.3f ulp of the half type\n", set,
                    dtype == SM4J_BF16 ? "bfloat16" : "float16", worst);
    }
}

}  // namespace

int main() {
    std::fesetround(FE_TONEAREST);
    int sets = 0;
    for (const char *name : {"generic", "f16c", "avx512", "avx512bf16"}) {
        const HalfKernels *h = sm4j::find_half_kernels(name);
        if (h == nullptr) {
            std::printf("half conversions %s: not available on this CPU, skipped\n", name);
            continue;
        }
        ++sets;
        const int64_t before = sm4j_test::g_failures;
        conversion_tests(*h);
        std::printf("half conversions %-10s %s\n", name, sm4j_test::g_failures == before ? "ok" : "FAILED");
    }
    check(sets >= 1, "at least the generic conversions run");
    // The operations with each row kernel set this CPU runs: on AArch64 neon's rows with the
    // generic conversions (half_dispatch.cpp).
    for (const char *set : {"generic", "avx2", "avx512", "neon"}) {
        if (sm4j_force_kernels(set) != 0) continue;
        const int64_t before = sm4j_test::g_failures;
        if (std::strcmp(set, "neon") == 0 || std::strcmp(set, "generic") == 0)
            check(std::strcmp(sm4j::active_half_kernels().name, "generic") == 0,
                  std::string("kernel set ") + set + " converts with the generic conversions");
        operation_tests(set);
        accuracy_tests(set);
        std::printf("half operations, kernel set %-8s (conversions %s) %s\n", set, sm4j::active_half_kernels().name,
                    sm4j_test::g_failures == before ? "ok" : "FAILED");
    }
    return sm4j_test::summary();
}
