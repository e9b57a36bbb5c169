// Non-temporal stores change the store instruction only: on every kernel set this CPU runs, the
// row functions the attention softmax composes (row_ops.hpp: softmax_row, log_softmax_row) and the
// attention softmax itself give, bit for bit (memcmp, guard elements included), the same output
// through the streamed kernels (threshold forced to 0) as through the ordinary ones (threshold
// forced past any size). Rows start misaligned by 0, 4, 8 and 12 bytes, are shorter and longer
// than a cache line, strided, in place; float and double, and the 16-bit outputs; the attention
// causal, windowed, with offsets, with and without a bias, at 1 and 2 threads. (The plain row
// operations, sm4j_run's softmax and log-softmax, keep the ordinary kernels: rows.cpp.)
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <type_traits>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "check.hpp"
#include "kernels/kernel_set.hpp"
#include "ops.hpp"
#include "row_ops.hpp"
#include "softmax4j.h"

namespace {

using sm4j_test::attention;
using sm4j_test::check;

constexpr int64_t kOrdinary = std::numeric_limits<int64_t>::max();
constexpr int64_t kGuard = 16;  // elements either side of every output, which must stay as set

template <class S>
S from_double(double v) {
    if constexpr (std::is_same_v<S, float> || std::is_same_v<S, double>) {
        return S(v);
    } else {
        return sm4j::narrow<S>(float(v));
    }
}

// Scores with a spread that exercises both exp paths, a few -inf (masked logits) and ties.
template <class S>
std::vector<S> scores(std::mt19937_64 &rng, int64_t count) {
    std::normal_distribution<double> g(0, 4);
    std::uniform_int_distribution<int> pick(0, 199);
    std::vector<S> v(static_cast<size_t>(count));
    for (auto &e : v) {
        const int p = pick(rng);
        e = from_double<S>(p == 0 ? -std::numeric_limits<double>::infinity() : p == 1 ? 3.0 : g(rng));
    }
    return v;
}

// Runs `call(out)` with the ordinary and the streamed kernels on the same filled buffers and
// compares the whole buffers, guards included. `prepare` refills the output (in-place calls
// read it as their input).
template <class Out, class Prepare, class Call>
void same_bits(const std::string &what, std::vector<Out> &buf, Prepare prepare, Call call) {
    std::vector<Out> ordinary;
    for (int64_t threshold : {kOrdinary, int64_t(0)}) {
        prepare(buf);
        sm4j::set_stream_threshold(threshold);
        call(buf.data() + kGuard);
        if (threshold == kOrdinary) ordinary = buf;
    }
    sm4j::set_stream_threshold(-1);
    check(std::memcmp(ordinary.data(), buf.data(), buf.size() * sizeof(Out)) == 0, what);
}

// The row functions on the kernels the attention would take for this output (kernels_for_output:
// the streamed table where the threshold allows and the set has one), one row after another, then
// the fence, as attention.cpp calls them.
template <class T, class In, class Out>
void rows_through(int32_t op, const In *x, int64_t ldx, Out *y, int64_t ldy, int64_t rows, int64_t n, double a_in) {
    const sm4j::RowKernels<T, In, Out> &k = sm4j::kernels_for_output<T, In, Out>(rows * n * int64_t(sizeof(Out)), n);
    const T a = sm4j::to_scale<T>(a_in);
    for (int64_t r = 0; r < rows; ++r) {
        if (op == SM4J_SOFTMAX) {
            sm4j::softmax_row(k, x + r * ldx, y + r * ldy, n, a);
        } else {
            sm4j::log_softmax_row(k, x + r * ldx, y + r * ldy, n, a);
        }
    }
    if (k.streams) sm4j::store_fence();
}

// Rows of In into Out, ld = n + pad, output shifted by `shift` elements from a 64-byte boundary
// (a vector's start is aligned: std::vector's allocation is, at least to 16 bytes; the shifts
// cover every 4-byte offset within a line over the calls).
template <class T, class In, class Out>
void row_cases(const char *set, const char *type, std::mt19937_64 &rng) {
    for (int64_t n : {1, 3, 15, 16, 17, 31, 33, 100, 1000, 2049, 5000, 8192}) {
        for (int64_t rows : {int64_t(1), int64_t(5)}) {
            for (int64_t pad : {int64_t(0), int64_t(3)}) {
                const int64_t ld = n + pad;
                const std::vector<In> x = scores<In>(rng, rows * ld);
                for (int64_t shift : {0, 1, 2, 3}) {
                    if (shift * int64_t(sizeof(Out)) % 4 != 0) continue;
                    for (int32_t op : {SM4J_SOFTMAX, SM4J_LOG_SOFTMAX}) {
                        for (double a : {1.0, 0.7}) {
                            const std::string what = std::string(set) + " " + type + " op=" + std::to_string(op) +
                                                     " rows=" + std::to_string(rows) + " n=" + std::to_string(n) +
                                                     " ld=" + std::to_string(ld) + " shift=" + std::to_string(shift) +
                                                     " a=" + std::to_string(a);
                            std::vector<Out> buf(size_t(rows * ld + 2 * kGuard + 4));
                            same_bits<Out>(
                                what, buf, [&](std::vector<Out> &b) { std::fill(b.begin(), b.end(), from_double<Out>(7.0)); },
                                [&](Out *y) { rows_through<T, In, Out>(op, x.data(), ld, y + shift, ld, rows, n, a); });
                            if constexpr (std::is_same_v<In, Out>) {
                                // In place: the input is the output buffer itself.
                                same_bits<Out>(
                                    what + " in place", buf,
                                    [&](std::vector<Out> &b) {
                                        std::fill(b.begin(), b.end(), from_double<Out>(7.0));
                                        std::copy(x.begin(), x.end(), b.begin() + kGuard + shift);
                                    },
                                    [&](Out *y) { rows_through<T, In, Out>(op, y + shift, ld, y + shift, ld, rows, n, a); });
                            }
                        }
                    }
                }
            }
        }
    }
}

template <class C>
void attention_cases(const char *set, const char *type, std::mt19937_64 &rng) {
    for (auto [rows, n] : {std::pair<int64_t, int64_t>{7, 5}, {33, 47}, {64, 300}, {40, 1000}, {6, 5000}}) {
        const std::vector<C> s = scores<C>(rng, rows * n);
        const std::vector<C> bias = scores<C>(rng, rows * n);
        for (int64_t offset : {int64_t(-3), int64_t(0), int64_t(17)}) {
            for (int64_t window : {int64_t(0), int64_t(9), int64_t(100)}) {
                for (int bias_kind : {0, 1, 2}) {  // none, full, one broadcast row
                    for (int64_t shift : {0, 1, 3}) {
                        for (int32_t op : {SM4J_SOFTMAX, SM4J_LOG_SOFTMAX}) {
                            for (int threads : {1, 2}) {
                                const C *bp = bias_kind == 0 ? nullptr : bias.data();
                                const int64_t ldb = bias_kind == 1 ? n : 0;
                                const std::string what =
                                    std::string(set) + " attention " + type + " op=" + std::to_string(op) + " " +
                                    std::to_string(rows) + "x" + std::to_string(n) + " offset=" + std::to_string(offset) +
                                    " window=" + std::to_string(window) + " bias=" + std::to_string(bias_kind) +
                                    " shift=" + std::to_string(shift) + " threads=" + std::to_string(threads);
                                std::vector<C> buf(size_t(rows * n + 2 * kGuard + 4));
                                sm4j_set_num_threads(threads);
                                same_bits<C>(
                                    what, buf, [&](std::vector<C> &b) { std::fill(b.begin(), b.end(), C(7)); },
                                    [&](C *y) {
                                        attention<C>(op, rows, n, s.data(), n, bp, ldb, y + shift, n, 0.125, true, offset,
                                                     window);
                                    });
                                same_bits<C>(
                                    what + " in place", buf,
                                    [&](std::vector<C> &b) {
                                        std::fill(b.begin(), b.end(), C(7));
                                        std::copy(s.begin(), s.end(), b.begin() + kGuard + shift);
                                    },
                                    [&](C *y) {
                                        attention<C>(op, rows, n, y + shift, n, bp, ldb, y + shift, n, 0.125, true, offset,
                                                     window);
                                    });
                            }
                        }
                    }
                }
            }
        }
        // Scales that take the row functions' other ways (a = 0: uniform; a tiny: the wide
        // path), which write the run without the streamed kernels' passes: the streamed head
        // and tail around it must still give the ordinary bits.
        const C tiny = std::is_same_v<C, float> ? C(1e-37) : C(1e-306);
        for (C scale : {C(0), tiny}) {
            for (int32_t op : {SM4J_SOFTMAX, SM4J_LOG_SOFTMAX}) {
                std::vector<C> b(size_t(rows * n + 2 * kGuard + 4));
                same_bits<C>(
                    std::string(set) + " attention " + type + " op=" + std::to_string(op) + " " + std::to_string(rows) +
                        "x" + std::to_string(n) + " scale=" + std::to_string(double(scale)),
                    b, [&](std::vector<C> &v) { std::fill(v.begin(), v.end(), C(7)); },
                    [&](C *y) { attention<C>(op, rows, n, s.data(), n, nullptr, 0, y + 1, n, double(scale), true, 0, 0); });
            }
        }
        // Unmasked: the ordinary kernels at any threshold (attention.cpp), so the same bits again.
        std::vector<C> buf(size_t(rows * n + 2 * kGuard));
        same_bits<C>(
            std::string(set) + " attention unmasked " + type, buf, [&](std::vector<C> &b) { std::fill(b.begin(), b.end(), C(7)); },
            [&](C *y) { attention<C>(SM4J_SOFTMAX, rows, n, s.data(), n, nullptr, 0, y + 1, n, 0.125, false, 0, 0); });
    }
    sm4j_set_num_threads(0);
}

}  // namespace

int main() {
    const int sets = sm4j_test::for_each_kernel_set([](const char *set) {
        const int64_t before = sm4j_test::g_failures;
        std::printf("kernel set %s: %s\n", set,
                    sm4j::active_kernels().streamed != nullptr ? "streamed sibling" : "no streamed sibling (ordinary stores)");
        sm4j::set_stream_threshold(0);
        check(sm4j::kernels_for_output<float>(1, 1).streams == (sm4j::active_kernels().streamed != nullptr) &&
                  sm4j::kernels_for_output<double>(1, 1).streams == (sm4j::active_kernels().streamed != nullptr),
              std::string(set) + ": a zero threshold selects the streamed kernels where the set has them");
        sm4j::set_stream_threshold(-1);
        std::mt19937_64 rng(11);
        row_cases<float, float, float>(set, "f32", rng);
        row_cases<double, double, double>(set, "f64", rng);
        row_cases<float, sm4j::bf16, sm4j::bf16>(set, "bf16", rng);
        row_cases<float, sm4j::bf16, float>(set, "bf16->f32", rng);
        row_cases<float, sm4j::f16, sm4j::f16>(set, "f16", rng);
        attention_cases<float>(set, "f32", rng);
        attention_cases<double>(set, "f64", rng);
        std::printf("kernel set %-8s %s\n", set, sm4j_test::g_failures == before ? "ok" : "FAILED");
    });
    check(sets >= 1, "at least the generic set runs");
    // The threshold: a positive default, the override, and its reset.
    sm4j::set_stream_threshold(123);
    check(sm4j::stream_threshold() == 123, "the threshold override holds");
    sm4j::set_stream_threshold(-1);
    check(sm4j::stream_threshold() > 0, "the derived threshold is positive");
    std::printf("stream threshold: %lld bytes\n", (long long)sm4j::stream_threshold());
    return sm4j_test::summary();
}
