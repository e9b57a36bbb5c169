// Native tests of the softmax4j core: every kernel set this CPU runs, through the C API, against
// a long double reference; plus the accuracy of each set's exp in ulp.
//
// Plain asserts with messages; the process exits non-zero if any check failed. Run by ctest
// (see ../README.md).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kernels/kernel_set.hpp"
#include "kernels/simd_kernels.hpp"
#include "check.hpp"
#include "row_ops.hpp"
#include "softmax4j.h"

namespace {

using ld = long double;
using sm4j::KernelSet;
using sm4j::RowKernels;

using sm4j_test::check;
using sm4j_test::g_failures;

template <class T>
const char *type_name() {
    return sizeof(T) == 4 ? "f32" : "f64";
}

using sm4j_test::rows_op;

// ---------------------------------------------------------------------------------------------
// The reference: the semantics of docs/mathematics.md evaluated in long double on z = a x,
// with a rounded to T as the library rounds it.

template <class T>
T scale_of(double a) {
    const double hi = double(std::numeric_limits<T>::max());
    return T(a > hi ? hi : a < -hi ? -hi : a);
}

struct Reference {
    std::vector<ld> softmax, log_softmax, shift;  // shift_j = z_j - max z (the condition of y_j)
    ld lse;
};

template <class T>
Reference reference(const T *x, int64_t n, T a_t) {
    const ld a = a_t, inf = std::numeric_limits<ld>::infinity(), nan = std::numeric_limits<ld>::quiet_NaN();
    Reference r;
    r.softmax.assign(n, nan);
    r.log_softmax.assign(n, nan);
    r.shift.assign(n, 0);
    if (n == 0) {
        r.lse = -inf;
        return r;
    }
    bool has_nan = false, has_pinf = false, all_minf = true;
    int64_t k = 0;
    for (int64_t j = 0; j < n; ++j) {
        ld z = a * ld(x[j]);
        if (std::isnan(z)) has_nan = true;
        if (z == inf) has_pinf = true;
        if (z != -inf) all_minf = false;
        if (a * (ld(x[j]) - ld(x[k])) > 0) k = j;
    }
    if (has_nan) {
        r.lse = nan;
        return r;
    }
    if (has_pinf || all_minf) {
        r.lse = has_pinf ? inf : -inf;
        return r;
    }
    ld t = 0;
    for (int64_t j = 0; j < n; ++j) {
        r.shift[j] = a * (ld(x[j]) - ld(x[k]));
        if (j != k) t += std::exp(r.shift[j]);
    }
    ld l1p = std::log1p(t);
    r.lse = a * ld(x[k]) + l1p;
    for (int64_t j = 0; j < n; ++j) {
        r.softmax[j] = std::exp(r.shift[j]) / (1 + t);
        r.log_softmax[j] = r.shift[j] - l1p;
    }
    return r;
}

// |y - ref| <= rtol (1 + |z|) |ref|-ish, per the Java tests: rtol 1e-6 for float, 1e-14 plus a
// sqrt(n)-scaled summation term for double; z is the condition of the value (its distance to the
// maximum for softmax, the value itself for the log forms). Both NaN, or equal infinities, pass.
template <class T>
bool close(T y, ld ref, ld z, bool relative, int64_t n) {
    if (std::isnan(ref)) return std::isnan(y);
    if (ld(y) == ref) return true;
    if (std::isinf(z)) z = 0;  // the exact 0 of exp(-inf) was handled above
    if (std::isinf(ref) || std::isinf(y)) {
        // A finite reference beyond T's range rounds to infinity.
        return ld(y) == ref || (std::isinf(y) && std::fabs(ref) > ld(std::numeric_limits<T>::max()) &&
                                std::signbit(y) == std::signbit(ref));
    }
    const ld eps = std::numeric_limits<T>::epsilon();
    const ld rtol = sizeof(T) == 4 ? 1e-6L : 1e-14L + 4 * eps * std::sqrt(ld(n));
    ld scale = relative ? std::fabs(ref) : 1;
    ld tol = rtol * (1 + std::fabs(z)) * scale + 2 * ld(std::numeric_limits<T>::denorm_min());
    return std::fabs(ld(y) - ref) <= tol;
}

struct Layout {
    const char *name;
    int64_t pad_x, pad_y;
    bool in_place;
};
const Layout kLayouts[] = {{"contiguous", 0, 0, false}, {"strided", 3, 5, false}, {"in-place", 2, 2, true}};

std::string describe(const char *set, const char *type, const char *op, int64_t rows, int64_t n,
                     double a, const char *layout, int threads, const char *what) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "[%s %s %s rows=%lld n=%lld a=%g %s threads=%d] %s", set, type, op,
                  (long long)rows, (long long)n, a, layout, threads, what);
    return buf;
}

const char *const kOpNames[] = {"softmax", "log_softmax", "logsumexp"};

// Runs all three operations on `rows` copies-with-variations of the data and compares with refs.
template <class T>
void check_batch(const char *set, const std::vector<std::vector<T>> &data, int64_t n, double a,
                 const Layout &layout, int threads, const char *what) {
    const int64_t rows = int64_t(data.size());
    const T a_t = scale_of<T>(a);
    std::vector<Reference> refs;
    for (const auto &row : data) refs.push_back(reference(row.data(), n, a_t));
    sm4j_set_num_threads(threads);
    for (int op = 0; op < 3; ++op) {
        const int64_t ldx = n + layout.pad_x;
        const int64_t ldy = op == SM4J_LOGSUMEXP ? 1 + layout.pad_y : n + layout.pad_y;
        std::vector<T> x(size_t(rows * ldx + 1), T(-7)), y(size_t(rows * std::max(ldx, ldy) + 1), T(-9));
        for (int64_t r = 0; r < rows; ++r) std::copy(data[r].begin(), data[r].end(), x.begin() + r * ldx);
        bool in_place = layout.in_place && op != SM4J_LOGSUMEXP;
        if (in_place) {
            rows_op<T>(op, x.data(), ldx, x.data(), ldx, rows, n, a);
        } else {
            rows_op<T>(op, x.data(), ldx, y.data(), ldy, rows, n, a);
        }
        const std::vector<T> &out = in_place ? x : y;
        const int64_t ldo = in_place ? ldx : ldy;
        int64_t bad = 0;
        std::string first;
        for (int64_t r = 0; r < rows && bad == 0; ++r) {
            const Reference &ref = refs[r];
            if (op == SM4J_LOGSUMEXP) {
                T v = out[r * ldo];
                if (!close(v, ref.lse, ref.lse, false, n)) {
                    ++bad;
                    char b[160];
                    std::snprintf(b, sizeof b, " row %lld: got %.9Lg want %.12Lg", (long long)r, ld(v), ref.lse);
                    first = b;
                }
                continue;
            }
            for (int64_t j = 0; j < n; ++j) {
                T v = out[r * ldo + j];
                bool ok = op == SM4J_SOFTMAX ? close(v, ref.softmax[j], ref.shift[j], true, n)
                                             : close(v, ref.log_softmax[j], ref.log_softmax[j], false, n);
                if (!ok && bad++ == 0) {
                    char b[200];
                    std::snprintf(b, sizeof b, " row %lld col %lld (x=%.9Lg): got %.12Lg want %.12Lg",
                                  (long long)r, (long long)j, ld(data[r][j]), ld(v),
                                  op == SM4J_SOFTMAX ? ref.softmax[j] : ref.log_softmax[j]);
                    first = b;
                }
            }
        }
        // Padding between rows must be untouched.
        for (int64_t r = 0; r < rows && !in_place; ++r)
            for (int64_t j = (op == SM4J_LOGSUMEXP ? 1 : n); j < ldy && r * ldy + j < int64_t(y.size()); ++j)
                if (!(y[r * ldy + j] == T(-9))) {
                    ++bad;
                    first += " (wrote into the gap between rows)";
                    break;
                }
        check(bad == 0, describe(set, type_name<T>(), kOpNames[op], rows, n, a, layout.name, threads, what) + first);
    }
}

template <class T>
std::vector<std::vector<T>> random_rows(std::mt19937_64 &rng, int64_t rows, int64_t n, T spread) {
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<std::vector<T>> data(rows, std::vector<T>(n));
    for (auto &row : data)
        for (auto &v : row) v = T(spread * u(rng));
    return data;
}

const double kScales[] = {1, 0.1, 10, -1, 0};

template <class T>
void random_tests(const char *set, std::mt19937_64 &rng, bool with_million) {
    std::vector<int64_t> lengths;
    for (int64_t n = 1; n <= 70; ++n) lengths.push_back(n);
    lengths.push_back(1000);
    lengths.push_back(4097);
    lengths.push_back(70000);  // > 2 online blocks, split across threads when rows < threads
    for (int64_t n : lengths) {
        int64_t rows = n <= 70 ? 3 : n <= 4097 ? 3 : 1;
        for (double a : kScales) {
            auto data = random_rows<T>(rng, rows, n, T(n % 3 == 0 ? 30 : 5));
            for (const Layout &layout : kLayouts)
                for (int threads : {1, 2}) {
                    if (threads == 2 && n < 1000) continue;
                    check_batch<T>(set, data, n, a, layout, threads, "random");
                }
        }
    }
    if (with_million) {
        const int64_t n = 1000000;
        for (double a : {1.0, -1.0}) {
            auto data = random_rows<T>(rng, 1, n, T(20));
            for (int threads : {1, 2}) check_batch<T>(set, data, n, a, kLayouts[threads == 1 ? 0 : 2], threads, "random 1e6");
        }
    }
}

// Rows that exercise the edges: infinities, NaN, huge and subnormal values, ties.
template <class T>
void special_tests(const char *set) {
    const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    const T big = std::numeric_limits<T>::max(), tiny = std::numeric_limits<T>::denorm_min();
    const T huge = sizeof(T) == 4 ? T(3e38) : T(1e308);
    std::vector<std::vector<T>> rows = {
        {inf, 1},         {1, inf, nan},     {-inf, -inf},      {-inf, 0, -inf},     {nan, 1},
        {1, nan},         {T(1e30), T(-1e30), T(1e30)},         {huge, -huge},       {-huge, huge, huge},
        {big, big},       {-big},            {-big, -inf},      {tiny, T(2) * tiny, 0},
        {T(1e-40), T(-1e-39), T(3e-42)},     {0, -60},          {0, 0, 0},           {-60, 0, 1e-30},
        {inf},            {-inf},            {nan},             {inf, -inf},         {-inf, inf, inf},
    };
    auto filled = [](int64_t n, T v) { return std::vector<T>(size_t(n), v); };
    // Edges inside vector bodies and tails, and across online blocks.
    for (int64_t n : {37, 64, 5000}) {
        auto r = filled(n, -inf);
        rows.push_back(r);
        r[n - 2] = 3;
        rows.push_back(r);
        r[n / 2] = inf;
        rows.push_back(r);
        auto s = filled(n, 0.5);
        s[n / 3] = nan;
        rows.push_back(s);
        auto t = filled(n, 2);
        rows.push_back(t);
        for (int64_t j = 0; j < n; ++j) t[j] = T(j) * T(0.01);  // ascending: the max moves often
        rows.push_back(t);
        for (int64_t j = 0; j < n; ++j) t[j] = T(-j) * T(3);  // a spread far into the subnormals
        rows.push_back(t);
    }
    for (double a : {1.0, 0.1, 10.0, -1.0, 0.0, 1e30, 1e-3}) {
        for (const auto &row : rows) {
            std::vector<std::vector<T>> one = {row};
            check_batch<T>(set, one, int64_t(row.size()), a, kLayouts[0], 1, "special");
            check_batch<T>(set, one, int64_t(row.size()), a, kLayouts[2], 1, "special");
        }
    }
    // One long row, whole (softmax by blocks, 64 of them here) and split across threads, with
    // the deciding element far inside; and rows whose maximum moves up block after block, far
    // enough that the early blocks' factors exp(a (m_b - m)) / sum underflow.
    for (int variant = 0; variant < 7; ++variant) {
        int64_t n = 200003;
        std::vector<T> r(size_t(n), T(-1));
        if (variant == 0) r[150000] = inf;
        if (variant == 1) r[150000] = nan;
        if (variant == 2) std::fill(r.begin(), r.begin() + 120000, -inf);
        if (variant == 3) std::fill(r.begin(), r.end(), -inf);
        if (variant == 4) r[n - 1] = 30;
        if (variant == 5)
            for (int64_t j = 0; j < n; ++j) r[size_t(j)] = T(double(j) * 1e-3);  // 0 .. 200
        if (variant == 6)
            for (int64_t j = 0; j < n; ++j) r[size_t(j)] = T(double(j % 5000) * 1e-2 + double(j) * 1e-4);
        std::vector<std::vector<T>> one = {r};
        for (double a : {1.0, -1.0, 0.0})
            for (int threads : {1, 2}) check_batch<T>(set, one, n, a, kLayouts[threads == 1 ? 2 : 0], threads, "special long");
    }
    // n = 0: LSE is -inf, the others write nothing; rows = 0: nothing at all.
    T x[2] = {1, 2}, y[2] = {5, 5};
    rows_op<T>(SM4J_LOGSUMEXP, x, 0, y, 1, 2, 0, 1.0);
    check(y[0] == -inf && y[1] == -inf, std::string(set) + " " + type_name<T>() + ": LSE of n = 0 is -inf");
    y[0] = y[1] = 5;
    rows_op<T>(SM4J_SOFTMAX, x, 0, y, 0, 2, 0, 1.0);
    rows_op<T>(SM4J_LOGSUMEXP, x, 2, y, 1, 0, 2, 1.0);
    check(y[0] == 5 && y[1] == 5, std::string(set) + " " + type_name<T>() + ": n = 0 or rows = 0 writes nothing");
}

// LSE([0, -60]) in double must keep log1p(exp(-60)) ~ 8.8e-27, which 1 + t would lose.
void accuracy_tests(const char *set) {
    double x[2] = {0, -60}, y = 0;
    rows_op<double>(SM4J_LOGSUMEXP, x, 2, &y, 1, 1, 2, 1.0);
    double want = double(std::log1p(std::exp(-60.0L)));
    check(std::fabs(y - want) <= 2 * std::nextafter(want, 1.0) - 2 * want + 1e-300,
          std::string(set) + ": LSE([0, -60]) = " + std::to_string(y) + ", want log1p(exp(-60))");
    double z[3] = {-60, 0, -60}, l[3];
    rows_op<double>(SM4J_LOG_SOFTMAX, z, 3, l, 3, 1, 3, 1.0);
    check(l[1] < 0 && l[1] > -3e-26, std::string(set) + ": log-softmax of the max of [-60, 0, -60] is -2 exp(-60)");

    // Found by Jazzer (java/core FuzzFindingsTest): x_j - m overflows the element type while
    // a (x_j - m) does not; the entries must not come out -inf or 0.
    float xf[2] = {-3e38f, 3e38f}, yf[2];
    rows_op<float>(SM4J_LOG_SOFTMAX, xf, 2, yf, 2, 1, 2, 0.01);
    const ld lf = (ld(-3e38f) - ld(3e38f)) / 100;
    check(std::fabs(ld(yf[0]) - lf) <= 1e-6L * std::fabs(lf) && yf[1] == 0,
          std::string(set) + ": f32 log-softmax of [-3e38, 3e38] at a = 0.01 is -6e36, got " + std::to_string(yf[0]));
    rows_op<float>(SM4J_SOFTMAX, xf, 2, yf, 2, 1, 2, 1e-37);
    const ld pf = std::exp((ld(-3e38f) - ld(3e38f)) * ld(float(1e-37)));
    check(std::fabs(ld(yf[0]) - pf) <= 1e-5L * pf,
          std::string(set) + ": f32 softmax of [-3e38, 3e38] at a = 1e-37 is exp(-60), got " + std::to_string(yf[0]));
    double xd[2] = {-1.7e308, 1.7e308}, yd[2];
    rows_op<double>(SM4J_LOG_SOFTMAX, xd, 2, yd, 2, 1, 2, 0.01);
    check(yd[0] == -3.4e306 && yd[1] == 0,
          std::string(set) + ": f64 log-softmax of [-1.7e308, 1.7e308] at a = 0.01 is -3.4e306");

    // Found by Jazzer: thousands of equal terms far below the maximum. Recursive summation of
    // equal addends errs the same way each time (n u, not sqrt(n) u: 5e-14 here); the vector
    // sets' lane sums and the generic set's compensated sum stay within a few ulp.
    std::vector<double> eq(3721, -4.0), out(3721);
    eq[0] = eq[1] = 4;
    eq[2] = 3.999999999994724;
    rows_op<double>(SM4J_LOG_SOFTMAX, eq.data(), 3721, out.data(), 3721, 1, 3721, 1.0);
    ld sum = 0;
    for (double v : eq) sum += std::exp(ld(v) - 4);
    const ld lse = 4 + std::log(sum);
    double worst = 0;
    for (int j = 0; j < 3; ++j) worst = std::max(worst, double(std::fabs(ld(out[j]) - (ld(eq[j]) - lse))));
    std::printf("%s: log-softmax of the equal-addends row, max error %.3g\n", set, worst);
    check(worst <= 2e-15, std::string(set) + ": log-softmax of the equal-addends row within 2e-15, error " +
                               std::to_string(worst));
}

// ---------------------------------------------------------------------------------------------
// The exp of each set on its own, in ulp against expl.

template <class T>
ld ulp_of(ld ref) {
    const int digits = std::numeric_limits<T>::digits;
    ld mag = std::fabs(ref);
    if (mag < ld(std::numeric_limits<T>::min())) return ld(std::numeric_limits<T>::denorm_min());
    return std::ldexp(1.0L, std::ilogb(mag) - (digits - 1));
}

// exp(x) to far better than T's half ulp: glibc's double exp (< 0.51 ulp of double, so within
// 2^-29 ulp of float) for float, expl for double. Double is enough for float and ~30 times
// faster where long double is software (the 128-bit long double of AArch64, under QEMU).
inline ld reference_exp(float x) { return ld(std::exp(double(x))); }
inline ld reference_exp(double x) { return std::exp(ld(x)); }

template <class T>
double exp_sweep(const RowKernels<T> &k, const std::vector<T> &xs, T *worst_x) {
    std::vector<T> ys(xs.size());
    k.exp(xs.data(), ys.data(), int64_t(xs.size()));
    double worst = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
        ld ref = reference_exp(xs[i]);
        double e = double(std::fabs(ld(ys[i]) - ref) / ulp_of<T>(ref));
        if (e > worst) {
            worst = e;
            *worst_x = xs[i];
        }
    }
    return worst;
}

std::vector<float> f32_sweep_inputs() {
    // Every 61st float in [-104, 0] (about 18 million), and every float in [-1, 0) near 0 where
    // the reduction is trivial but the polynomial is most exposed.
    std::vector<float> xs;
    uint32_t lo = 0x80000000u, hi;
    float stop = -104.0f;
    std::memcpy(&hi, &stop, 4);
    for (uint64_t b = lo; b <= hi; b += 61) {
        uint32_t u = uint32_t(b);
        float f;
        std::memcpy(&f, &u, 4);
        xs.push_back(f);
    }
    return xs;
}

std::vector<double> f64_sweep_inputs() {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> wide(-746.0, 0.0), narrow(-0.5, 0.0), expo(-300.0, 3.0);
    std::vector<double> xs;
    for (int i = 0; i < 4000000; ++i) {
        xs.push_back(wide(rng));
        xs.push_back(narrow(rng));
        xs.push_back(-std::pow(10.0, expo(rng)));
    }
    for (double v = -708.0; v > -746.0; v -= 0.0009765625) xs.push_back(v);  // the subnormal results
    return xs;
}

template <class T>
void exp_specials(const char *set, const RowKernels<T> &k) {
    const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    T x[7] = {0, -T(0), -inf, nan, T(-1e4), -std::numeric_limits<T>::max(), -std::numeric_limits<T>::denorm_min()};
    T y[7];
    k.exp(x, y, 7);
    std::string p = std::string(set) + " " + type_name<T>() + " exp: ";
    check(y[0] == 1 && y[1] == 1, p + "exp(+-0) == 1 exactly");
    check(y[2] == 0 && !std::signbit(y[2]), p + "exp(-inf) == +0");
    check(std::isnan(y[3]), p + "exp(NaN) is NaN");
    check(y[4] == 0 && y[5] == 0, p + "exp(very negative) == 0");
    check(y[6] == 1, p + "exp(-denorm_min) == 1");
}

struct ExpBound {
    double f32, f64;
};

void exp_tests(const char *set, const std::vector<float> &xf, const std::vector<double> &xd, ExpBound bound) {
    const KernelSet *ks = sm4j::find_kernel_set(set);
    exp_specials<float>(set, ks->f32);
    exp_specials<double>(set, ks->f64);
    float wf = 0;
    double wd = 0;
    double ef = exp_sweep<float>(ks->f32, xf, &wf);
    double ed = exp_sweep<double>(ks->f64, xd, &wd);
    std::printf("exp %-8s max error over x <= 0: f32 %.3f ulp (at %.9g), f64 %.3f ulp (at %.17g)\n", set, ef,
                double(wf), ed, wd);
    check(ef <= bound.f32, std::string(set) + " f32 exp within " + std::to_string(bound.f32) + " ulp");
    check(ed <= bound.f64, std::string(set) + " f64 exp within " + std::to_string(bound.f64) + " ulp");
}

}  // namespace

// `--initial NAME`: the set chosen at load (from SOFTMAX4J_KERNELS, see CMakeLists.txt) must be
// NAME, or with NAME = "best", the best one this CPU runs.
int check_initial(const char *want) {
    std::string got = sm4j_kernel_name();
    std::string expect = want;
    if (expect == "best") {
        for (const char *set : {"avx512", "avx2", "neon", "generic"})
            if (sm4j::find_kernel_set(set) != nullptr) {
                expect = set;
                break;
            }
    }
    check(got == expect, "kernel set at load is " + got + ", expected " + expect);
    std::printf("kernel set at load: %s (expected %s)\n", got.c_str(), expect.c_str());
    return sm4j_test::summary();
}

// SM4J_COPY, the benchmarks' baseline: the rows come back bit for bit through the same driver
// (strided rows; 1 and 2 threads; one long row, which the driver splits into parts), guard
// elements past each row stay as they were, and in place nothing changes.
template <class T>
void copy_tests() {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(-50, 50);
    for (int threads : {1, 2}) {
        sm4j_set_num_threads(threads);
        for (auto [rows, n] : {std::pair<int64_t, int64_t>{1, 1}, {3, 17}, {64, 1000}, {1, 70001}, {5, 40000}}) {
            const int64_t ld = n + 3;
            std::vector<T> x(size_t(rows * ld)), y(size_t(rows * ld), T(-7));
            for (T &v : x) v = T(u(rng));
            x[0] = std::numeric_limits<T>::quiet_NaN();
            rows_op(SM4J_COPY, x.data(), ld, y.data(), ld, rows, n, 1.0);
            bool same = true, guards = true;
            for (int64_t r = 0; r < rows; ++r) {
                same = same && std::memcmp(&x[size_t(r * ld)], &y[size_t(r * ld)], size_t(n) * sizeof(T)) == 0;
                for (int64_t j = n; j < ld; ++j) guards = guards && y[size_t(r * ld + j)] == T(-7);
            }
            const std::string what = "copy " + std::to_string(rows) + "x" + std::to_string(n) + " (" +
                                     std::to_string(sizeof(T) * 8) + " bit, " + std::to_string(threads) + " threads)";
            check(same, what + " gives the rows back bit for bit");
            check(guards, what + " writes nothing past a row");
            std::vector<T> before = x;
            rows_op(SM4J_COPY, x.data(), ld, x.data(), ld, rows, n, 1.0);
            check(std::memcmp(before.data(), x.data(), x.size() * sizeof(T)) == 0, what + " in place changes nothing");
        }
    }
    sm4j_set_num_threads(0);
}

// The short-row kernels (softmax_small, partial_small) against the kernels they replace, on
// every row length they take: the same bits, or the tiny-row path would give a row other values
// than the same row in a longer batch. Random rows, rows with ties (signed zeros too), NaN,
// +-inf, all -inf and the largest values; in place too; a of either sign.
template <class T>
void short_row_tests(const char *set) {
    const RowKernels<T> &k = sm4j::active_kernels().get<T>();
    if (k.small == 0) return;
    const T inf = std::numeric_limits<T>::infinity(), big = std::numeric_limits<T>::max();
    const T nan = std::numeric_limits<T>::quiet_NaN();
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> u(-20, 20);
    auto same = [](T p, T q) { return std::memcmp(&p, &q, sizeof(T)) == 0; };
    int64_t cases = 0, failed = 0;
    for (int64_t n = 1; n <= k.small; ++n) {
        for (int kind = 0; kind < 8; ++kind) {
            std::vector<T> x(static_cast<size_t>(n));
            for (T &v : x) v = T(u(rng));
            const size_t at = size_t(n / 2);
            switch (kind) {
                case 1: for (T &v : x) v = T(std::round(double(v) / 8)); x[at] = T(-0.0); break;  // ties
                case 2: x[at] = nan; break;
                case 3: x[at] = inf; break;
                case 4: x[at] = -inf; break;
                case 5: for (T &v : x) v = -inf; break;
                case 6: x[0] = big; x[size_t(n - 1)] = -big; break;
                case 7: for (T &v : x) v = T(0.0); x[at] = T(-0.0); break;
                default: break;
            }
            for (double a_in : {1.0, 0.5, 3.0, -1.0, -0.25}) {
                const T a = T(a_in), floor = sm4j::empty_partial(a).m;
                std::vector<T> want(x.size()), got(x.size()), in_place = x;
                sm4j::softmax_blocks(k, x.data(), want.data(), n, a);
                k.softmax_small(x.data(), got.data(), n, a, floor);
                k.softmax_small(in_place.data(), in_place.data(), n, a, floor);
                const sm4j::Partial<T> p = sm4j::online_partial(k, x.data(), n, a);
                const sm4j::Partial<T> q = sm4j::short_partial(k, x.data(), n, a);
                bool ok = same(p.m, q.m) && std::memcmp(&p.t, &q.t, sizeof(double)) == 0 && p.ties == q.ties;
                for (size_t j = 0; j < x.size(); ++j) ok = ok && same(want[j], got[j]) && same(want[j], in_place[j]);
                ++cases;
                if (!ok && ++failed <= 5) {
                    check(false, std::string(set) + " " + type_name<T>() + " short row n=" + std::to_string(n) +
                                     " kind " + std::to_string(kind) + " a=" + std::to_string(a_in) +
                                     ": the bits of the general kernels");
                }
            }
        }
    }
    check(failed == 0, std::string(set) + " " + type_name<T>() + ": short rows have the general kernels' bits in " +
                           std::to_string(cases - failed) + " of " + std::to_string(cases) + " cases");
}

// log_softmax_row's store pass takes d = x - m from y where the online pass left it there
// (exp_sum_ties with out = y, then shift_stored from the final m's block on): it must give the
// bits of the pass that recomputes every d from x (online_partial without out, then
// shift_scale), for rows of one and many blocks, with the maximum moving from block to block or
// in the first block, with ties, NaN, +-inf, all -inf and the largest values (x - m overflows),
// for a of either sign (a != 1 stores nothing), apart and in place; and for bfloat16 rows with a
// float output, where the stored d is float.
template <class T, class In>
void stored_shift_tests(const char *set, const char *what) {
    const RowKernels<T, In, T> &k = sm4j::active_kernels().get<T, In, T>();
    const T inf = std::numeric_limits<T>::infinity(), big = std::numeric_limits<T>::max();
    const T nan = std::numeric_limits<T>::quiet_NaN();
    std::mt19937_64 rng(23);
    std::uniform_real_distribution<double> u(-30, 30);
    auto same = [](T p, T q) { return std::memcmp(&p, &q, sizeof(T)) == 0; };
    int64_t cases = 0, failed = 0;
    // The output at every element offset from a 64-byte boundary: the store passes write the
    // elements before y's first boundary by themselves (store_pass), the same bits.
    constexpr int64_t kLine = 64 / int64_t(sizeof(T));
    for (int64_t n : {int64_t(40), int64_t(100), int64_t(1000), int64_t(2048), int64_t(2049), int64_t(5000),
                      int64_t(3 * 2048 + 37)}) {
        for (int kind = 0; kind < 9; ++kind) {
            std::vector<In> x(static_cast<size_t>(n));
            for (size_t j = 0; j < x.size(); ++j) {
                double v = u(rng);
                if (kind == 1) v = std::round(v / 8);                        // ties
                if (kind == 2) v += 60.0 * double(j) / double(n);            // m moves every block
                if (kind == 3) v -= 60.0 * double(j) / double(n);            // m found in block 0
                x[j] = sm4j::narrow<In>(T(v));
            }
            const size_t at = size_t(n - 3);
            switch (kind) {
                case 4: x[at] = sm4j::narrow<In>(nan); break;
                case 5: x[at] = sm4j::narrow<In>(inf); x[1] = sm4j::narrow<In>(-inf); break;
                case 6: for (In &v : x) v = sm4j::narrow<In>(-inf); break;
                case 7: x[size_t(n - 1)] = sm4j::narrow<In>(big); x[0] = sm4j::narrow<In>(-big); x[at] = sm4j::narrow<In>(-big); break;
                case 8: x[size_t(n / 2)] = sm4j::narrow<In>(T(100)); break;  // m moves in a middle block
                default: break;
            }
            for (double a_in : {1.0, 0.5, -1.0}) {
                const T a = T(a_in);
                const sm4j::Partial<T> p = sm4j::online_partial(k, x.data(), n, a);
                std::vector<T> want(x.size());
                k.shift_scale(x.data(), want.data(), n, a, p.m, T(sm4j::log1p_rest(p)));
                bool ok = true;
                std::vector<T> area(x.size() + 2 * size_t(kLine));
                T *const line = area.data() + (kLine - int64_t(reinterpret_cast<uintptr_t>(area.data()) % 64) / int64_t(sizeof(T))) % kLine;
                for (int64_t off = 0; off < kLine; ++off) {
                    T *got = line + off;
                    sm4j::log_softmax_row(k, x.data(), got, n, a);
                    for (size_t j = 0; j < x.size(); ++j) ok = ok && same(want[j], got[j]);
                }
                if constexpr (std::is_same_v<In, T>) {
                    std::vector<T> in_place = x;
                    sm4j::log_softmax_row(k, in_place.data(), in_place.data(), n, a);
                    for (size_t j = 0; j < x.size(); ++j) ok = ok && same(want[j], in_place[j]);
                }
                ++cases;
                if (!ok && ++failed <= 5) {
                    check(false, std::string(set) + " " + what + " log-softmax n=" + std::to_string(n) + " kind " +
                                     std::to_string(kind) + " a=" + std::to_string(a_in) +
                                     ": the stored d, at every output offset, gives the bits of d recomputed from x");
                }
            }
        }
    }
    check(failed == 0, std::string(set) + " " + what + ": log-softmax from the stored d has the recomputed bits in " +
                           std::to_string(cases - failed) + " of " + std::to_string(cases) + " cases");
}

// store_pass's split of [0, n) itself, with vectors that only count: every element is written
// once, the unrolled steps start on a 64-byte boundary of y (from the first one on), and the
// masked head ends there; y not aligned to its element type is not split at all. The bit tests
// below cannot see a head of the wrong length (any split gives the same bits): this one can.
template <int W>
struct CountingVec {
    static constexpr int kWidth = W;
    using Mask = int64_t;
    using Reg = int;  // named by the store policies' signatures (PlainStores), never used
    static Mask first(int64_t k) { return k >= W ? W : k; }
};

template <int W, class Out>
void store_pass_split_tests(const char *what) {
    alignas(64) static unsigned char area[64 + 300 * sizeof(Out)];
    int64_t cases = 0, failed = 0;
    for (int byte = 0; byte < 64; ++byte) {
        Out *const y = reinterpret_cast<Out *>(area + byte);  // only its address is used
        const bool aligned = byte % int(sizeof(Out)) == 0;
        for (int64_t n = 1; n <= 300; ++n) {
            std::vector<int> hits(static_cast<size_t>(n), 0);
            int64_t first_step = -1;
            bool ok = true;
            auto step = [&](int64_t i) {
                if (first_step < 0) first_step = i;
                if (aligned && (byte + i * int64_t(sizeof(Out))) % 64 != 0) ok = false;
                for (int64_t j = i; j < i + sm4j::simd::kUnroll * W; ++j) ok = ok && j < n && ++hits[size_t(j)] > 0;
            };
            auto one = [&](int64_t i, int64_t valid) {
                for (int64_t j = i; j < i + valid; ++j) ok = ok && j < n && ++hits[size_t(j)] > 0;
            };
            // A pass as the kernels run one over [b, e): unrolled steps from b, then masked vectors.
            sm4j::simd::store_pass<CountingVec<W>, false>(y, n, [&](int64_t b, int64_t e, auto) {
                int64_t i = b;
                for (; i + sm4j::simd::kUnroll * W <= e; i += sm4j::simd::kUnroll * W) step(i);
                for (; i < e; i += W) one(i, CountingVec<W>::first(e - i));
            });
            for (int h : hits) ok = ok && h == 1;
            // The head: the elements before the first boundary (all of them if none is in the row).
            int64_t head = 0;
            if (aligned && byte % 64 != 0) head = std::min<int64_t>(n, (64 - byte) / int64_t(sizeof(Out)));
            if (first_step >= 0) ok = ok && first_step == head;
            else ok = ok && n - head < sm4j::simd::kUnroll * W;  // too short for a step after the head
            ++cases;
            if (!ok && ++failed <= 3) {
                check(false, std::string("store_pass W=") + std::to_string(W) + " " + what + " byte offset " +
                                 std::to_string(byte) + " n=" + std::to_string(n) +
                                 ": each element once, steps from y's first 64-byte boundary");
            }
        }
    }
    check(failed == 0, std::string("store_pass W=") + std::to_string(W) + " " + what + ": the split in " +
                           std::to_string(cases - failed) + " of " + std::to_string(cases) + " cases");
}

// The store passes (scale; shift_scale and shift_stored) write from their output's first 64-byte
// boundary on, the elements before it by the masked path (store_pass in simd_kernels.hpp). Each
// element's arithmetic is the same however the vectors are grouped, so every output offset within
// a line must give the bits of the output on a boundary: the kernels on their own, and softmax
// and log-softmax, which call them (apart and in place), for every n up to past the unroll width
// of every set, 1000 and 4099 (several online blocks: log-softmax's stored d). The rows include
// x - m overflowing for finite x (repaired where a != 1), with and without a NaN in the row
// (the repair test per group can then miss; c is NaN, so no output depends on it), and ties.
// Nothing outside y is written.
template <class T, class In, class Out>
void aligned_store_tests(const char *set, const char *what) {
    const RowKernels<T, In, Out> &k = sm4j::active_kernels().get<T, In, Out>();
    constexpr int64_t kLine = 64 / int64_t(sizeof(Out));
    constexpr unsigned char kFill = 0x5a;
    const T big = std::numeric_limits<T>::max(), nan = std::numeric_limits<T>::quiet_NaN();
    std::mt19937_64 rng(31);
    std::uniform_real_distribution<double> u(-30, 30), pos(0.001, 1);
    std::vector<int64_t> ns;
    for (int64_t n = 1; n <= 70; ++n) ns.push_back(n);
    ns.push_back(1000);
    ns.push_back(4099);
    // The same bits, or NaN both: a product of two NaNs (softmax's t c on a NaN row) is the NaN
    // of the operand the compiler put first (x86), and it orders the masked and the unrolled
    // multiplications differently (so in main already from one position in a row to another).
    auto same = [](Out p, Out q) {
        return std::memcmp(&p, &q, sizeof(Out)) == 0 || (std::isnan(sm4j::widen(p)) && std::isnan(sm4j::widen(q)));
    };
    int64_t cases = 0, failed = 0;
    for (int64_t n : ns) {
        // Room for the output at any offset, a line of guard either side.
        std::vector<Out> area(static_cast<size_t>(n + 4 * kLine));
        Out *const base = area.data() + (kLine - int64_t(reinterpret_cast<uintptr_t>(area.data()) % 64) / int64_t(sizeof(Out))) % kLine;
        std::vector<Out> want(static_cast<size_t>(n));
        for (int kind = 0; kind < 4; ++kind) {
            std::vector<In> x(static_cast<size_t>(n));
            std::vector<T> t(static_cast<size_t>(n));
            for (size_t j = 0; j < x.size(); ++j) {
                double v = u(rng);
                if (kind == 3) v = std::round(v / 8);  // ties
                x[j] = sm4j::narrow<In>(T(v));
                t[j] = T(pos(rng));
            }
            if (kind == 1 || kind == 2) {  // x - m overflows for these finite values
                for (size_t j = 3; j < x.size(); j += 7) x[j] = sm4j::narrow<In>(T(-0.9 * double(big)));
                x[x.size() - 1] = sm4j::narrow<In>(T(0.9 * double(big)));
                x[0] = sm4j::narrow<In>(T(-0.9 * double(big)));
            }
            if (kind == 2) x[x.size() / 2] = sm4j::narrow<In>(nan);
            for (double a_in : {1.0, 0.5, -0.5}) {
                const T a = T(a_in), c = T(pos(rng) * 3);
                const sm4j::Partial<T> p = sm4j::online_partial(k, x.data(), n, a);
                const T lc = T(sm4j::log1p_rest(p));
                // op 0: scale; 1: shift_scale; 2: softmax; 3: log-softmax. in_place: the input
                // copied into y first (where its type is Out's).
                for (int op = 0; op < 4; ++op) {
                    for (int in_place = 0; in_place < 2; ++in_place) {
                        if (in_place) {
                            if (op == 0 && !std::is_same_v<Out, T>) continue;
                            if (op != 0 && !std::is_same_v<In, Out>) continue;
                        }
                        auto run = [&](Out *y) {
                            if (in_place) {
                                if (op == 0) std::memcpy(static_cast<void *>(y), t.data(), size_t(n) * sizeof(T));
                                else std::memcpy(static_cast<void *>(y), x.data(), size_t(n) * sizeof(In));
                            }
                            const In *xs = in_place ? reinterpret_cast<const In *>(y) : x.data();
                            switch (op) {
                                case 0: k.scale(in_place ? reinterpret_cast<const T *>(y) : t.data(), y, n, c); break;
                                case 1: k.shift_scale(xs, y, n, a, p.m, lc); break;
                                case 2: sm4j::softmax_row(k, xs, y, n, a); break;
                                default: sm4j::log_softmax_row(k, xs, y, n, a); break;
                            }
                        };
                        std::memset(static_cast<void *>(area.data()), kFill, area.size() * sizeof(Out));
                        run(base);  // the reference: y on a boundary
                        std::memcpy(want.data(), base, size_t(n) * sizeof(Out));
                        bool ok = true;
                        for (int64_t off = 0; off < kLine; ++off) {
                            std::memset(static_cast<void *>(area.data()), kFill, area.size() * sizeof(Out));
                            Out *y = base + kLine + off;
                            run(y);
                            for (int64_t j = 0; j < n; ++j) ok = ok && same(want[size_t(j)], y[j]);
                            const auto *bytes = reinterpret_cast<const unsigned char *>(area.data());
                            const size_t lo = size_t(y - area.data()) * sizeof(Out), hi = lo + size_t(n) * sizeof(Out);
                            for (size_t b = 0; b < area.size() * sizeof(Out); ++b)
                                if ((b < lo || b >= hi) && bytes[b] != kFill) ok = false;
                        }
                        ++cases;
                        if (!ok && ++failed <= 5) {
                            static const char *const names[] = {"scale", "shift_scale", "softmax", "log-softmax"};
                            check(false, std::string(set) + " " + what + " " + names[op] + (in_place ? " in place" : "") +
                                             " n=" + std::to_string(n) + " kind " + std::to_string(kind) + " a=" +
                                             std::to_string(a_in) + ": every output offset gives the bits of y on a line, "
                                             "and writes nothing outside y");
                        }
                    }
                }
            }
        }
    }
    check(failed == 0, std::string(set) + " " + what + ": store passes at every offset within a line have the aligned bits in " +
                           std::to_string(cases - failed) + " of " + std::to_string(cases) + " cases");
}

// The batch softmax and log-softmax take rows of one block two at a time (softmax_pair,
// log_softmax_pair; rows.cpp); each row must still have the bits of the same row alone (a
// one-row call takes the row functions), whichever row of a pair it is, in an odd batch's last
// row, with the pairs split over threads, strided and in place, and for every storage (16-bit
// outputs keep two rows of terms in scratch). Rows of NaN, of -inf, with +inf, and a < 0
// exercise the edge rules in either place of a pair.
template <class S>
constexpr int32_t dtype_code() {
    if constexpr (std::is_same_v<S, float>) return SM4J_F32;
    else if constexpr (std::is_same_v<S, double>) return SM4J_F64;
    else if constexpr (std::is_same_v<S, sm4j::bf16>) return SM4J_BF16;
    else return SM4J_F16;
}

template <class T, class In, class Out>
void pair_tests(const char *set, const char *what) {
    const T inf = std::numeric_limits<T>::infinity();
    std::mt19937_64 rng(53);
    std::normal_distribution<double> dist(0, 6);
    const int64_t small = sm4j::active_kernels().get<T, In, Out>().small;
    int64_t cases = 0, failed = 0;
    std::string first;
    for (int32_t op : {SM4J_SOFTMAX, SM4J_LOG_SOFTMAX})
    for (int64_t n : {small + 1, int64_t(1000), sm4j::kOnlineBlock, sm4j::kOnlineBlock + 1})
        for (int64_t rows : {2, 3, 41, 64})
            for (double a : {1.0, -0.5})
                for (int layout = 0; layout < 3; ++layout) {
                    const bool in_place = layout == 2;
                    if (in_place && !std::is_same_v<In, Out>) continue;
                    const int64_t ldx = n + (layout == 1 ? 3 : 0), ldy = in_place ? ldx : n + (layout == 1 ? 5 : 0);
                    std::vector<In> x(size_t(rows * ldx));
                    for (In &v : x) v = sm4j::narrow<In>(T(dist(rng)));
                    // Edge rows in both places of the first pair and in the last row.
                    x[size_t(std::min<int64_t>(2, n - 1))] = sm4j::narrow<In>(std::numeric_limits<T>::quiet_NaN());
                    for (int64_t j = 0; j < n; ++j) x[size_t(ldx + j)] = sm4j::narrow<In>(-inf);
                    x[size_t((rows - 1) * ldx + n / 2)] = sm4j::narrow<In>(a > 0 ? inf : -inf);
                    // Each row alone: the reference.
                    std::vector<Out> want(size_t(rows * n));
                    for (int64_t r = 0; r < rows; ++r) {
                        std::vector<In> row(x.begin() + r * ldx, x.begin() + r * ldx + n);
                        sm4j_call c = sm4j_test::call(op, 1, n, 0, a);
                        c.in[0] = {row.data(), n, dtype_code<In>()};
                        c.out[0] = {want.data() + r * n, n, dtype_code<Out>()};
                        sm4j_run(&c);
                    }
                    for (int threads : {1, 2}) {
                        sm4j_set_num_threads(threads);
                        std::vector<In> xb = x;
                        std::vector<Out> yb(size_t(rows * ldy), sm4j::narrow<Out>(T(-9)));
                        sm4j_call c = sm4j_test::call(op, rows, n, 0, a);
                        c.in[0] = {xb.data(), ldx, dtype_code<In>()};
                        c.out[0] = {in_place ? static_cast<void *>(xb.data()) : static_cast<void *>(yb.data()), ldy,
                                    dtype_code<Out>()};
                        sm4j_run(&c);
                        const Out *got = in_place ? reinterpret_cast<const Out *>(xb.data()) : yb.data();
                        int64_t bad = 0;
                        for (int64_t r = 0; r < rows; ++r) {
                            for (int64_t j = 0; j < n; ++j) {
                                const Out p = got[r * ldy + j], q = want[size_t(r * n + j)];
                                const bool same = std::memcmp(&p, &q, sizeof(Out)) == 0 ||
                                                  (std::isnan(sm4j::widen(p)) && std::isnan(sm4j::widen(q)));
                                if (!same && bad++ == 0 && first.empty())
                                    first = describe(set, what, kOpNames[op], rows, n, a,
                                                     layout == 0 ? "contiguous" : layout == 1 ? "strided" : "in-place",
                                                     threads, "") + " row " + std::to_string(r) + " col " + std::to_string(j);
                            }
                            for (int64_t j = n; j < ldy && !in_place; ++j)  // the gap between rows
                                if (!(sm4j::widen(got[r * ldy + j]) == T(-9)) && bad++ == 0 && first.empty())
                                    first = std::string(what) + " pairs wrote into the gap between rows";
                        }
                        ++cases;
                        failed += bad != 0;
                    }
                }
    sm4j_set_num_threads(0);
    check(failed == 0 && cases > 0, std::string(set) + " " + what + ": the batch softmax and log-softmax have each row's bits alone (" +
                                        std::to_string(failed) + " of " + std::to_string(cases) + " batches differ) " + first);
}

int main(int argc, char **argv) {
    if (argc > 2 && std::strcmp(argv[1], "--initial") == 0) return check_initial(argv[2]);
    bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    check(sm4j_force_kernels("no-such-set") == -1, "an unknown kernel set is refused");
    const std::vector<float> xf = f32_sweep_inputs();
    const std::vector<double> xd = f64_sweep_inputs();
    const int sets = sm4j_test::for_each_kernel_set([&](const char *set) {
        check(std::strcmp(sm4j_kernel_name(), set) == 0, std::string("sm4j_kernel_name() reports ") + set);
        int64_t before = g_failures;
        // The vector exps are held to 2 ulp (the measured maximum is printed); the generic set
        // is libm's exp, which is the yardstick rather than the subject.
        exp_tests(set, xf, xd, std::strcmp(set, "generic") == 0 ? ExpBound{1, 1} : ExpBound{2, 2});
        std::mt19937_64 rng(42);
        random_tests<float>(set, rng, !quick);
        random_tests<double>(set, rng, !quick);
        special_tests<float>(set);
        special_tests<double>(set);
        short_row_tests<float>(set);
        short_row_tests<double>(set);
        stored_shift_tests<float, float>(set, "f32");
        stored_shift_tests<double, double>(set, "f64");
        stored_shift_tests<float, sm4j::bf16>(set, "bf16 -> f32");
        aligned_store_tests<float, float, float>(set, "f32");
        aligned_store_tests<double, double, double>(set, "f64");
        aligned_store_tests<float, sm4j::bf16, sm4j::bf16>(set, "bf16");
        aligned_store_tests<float, sm4j::bf16, float>(set, "bf16 -> f32");
        aligned_store_tests<float, sm4j::f16, sm4j::f16>(set, "f16");
        aligned_store_tests<float, sm4j::f16, float>(set, "f16 -> f32");
        accuracy_tests(set);
        pair_tests<float, float, float>(set, "f32");
        pair_tests<double, double, double>(set, "f64");
        pair_tests<float, sm4j::bf16, sm4j::bf16>(set, "bf16");
        pair_tests<float, sm4j::f16, float>(set, "f16 -> f32");
        std::printf("kernel set %-8s %s\n", set, g_failures == before ? "ok" : "FAILED");
    });
    check(sets >= 1, "at least the generic set runs");
    copy_tests<float>();
    copy_tests<double>();
    store_pass_split_tests<4, float>("f32");
    store_pass_split_tests<16, float>("f32");
    store_pass_split_tests<8, double>("f64");
    store_pass_split_tests<2, double>("f64");
    store_pass_split_tests<16, sm4j::bf16>("bf16");
    store_pass_split_tests<8, sm4j::f16>("f16");
    return sm4j_test::summary();
}
