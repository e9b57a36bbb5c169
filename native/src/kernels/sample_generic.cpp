// The portable sampler kernels: the plain statement of what every vector set computes, bit for
// bit (native/tests compares them). Compiled with -ffp-contract=off (CMakeLists.txt), as the
// weight function requires.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "../sampler/weight_spec.hpp"
#include "sample_kernels.hpp"

namespace sm4j {
namespace {

template <class T>
Collected collect_ge(const T *x, int64_t n, T t, int64_t base, T *vals, int32_t *ids,
                     int64_t room, bool *bad) {
    int64_t count = 0, i = 0;
    bool b = false;
    for (; i < n && count < room - kCollectSlack + 1; ++i) {
        const T v = x[i];
        b = b || !(v < std::numeric_limits<T>::infinity());
        if (v >= t) {
            vals[count] = v;
            ids[count] = int32_t(base + i);
            ++count;
        }
    }
    if (b) *bad = true;
    return {i, count};
}

template <class T>
Weighed weigh(const T *x, int64_t n, T m, T a, int s, T *ws, int64_t *block_sums, T t, T *vals,
              int32_t *ids, int64_t room) {
    Weighed out{0, 0, false};
    for (int64_t b = 0; b < n; b += kSumBlock) {
        const int64_t end = b + kSumBlock < n ? b + kSumBlock : n;
        int64_t sum = 0;
        for (int64_t i = b; i < end; ++i) {
            T d = x[i] - m;
            if (a != T(1)) d = d * a;
            const T w = sampling::scaled_weight(d, s);
            if (ws != nullptr) ws[i] = w;
            sum += int64_t(w);
            if (vals != nullptr && w >= t) {
                if (out.count <= room - kCollectSlack) {
                    vals[out.count] = w;
                    ids[out.count] = int32_t(i);
                    ++out.count;
                } else {
                    out.overflow = true;
                }
            }
        }
        if (block_sums != nullptr) block_sums[b / kSumBlock] = sum;
        out.total += sum;
    }
    return out;
}

template <class T>
int64_t mass_ge(const T *ws, int64_t n, T t) {
    int64_t sum = 0;
    for (int64_t i = 0; i < n; ++i)
        if (ws[i] >= t) sum += int64_t(ws[i]);
    return sum;
}

template <class T>
Weighed bracket(const T *ws, int64_t n, T a, T b, T b_le, T *vals) {
    Weighed out{0, 0, false};
    for (int64_t i = 0; i < n; ++i) {
        const T w = ws[i];
        if (w >= b) out.total += int64_t(w);
        if (w >= a && w <= b_le) vals[out.count++] = w;
    }
    return out;
}

template <class T>
int64_t draw_at(const T *ws, int64_t n, T t, int64_t r) {
    int64_t acc = 0;
    for (int64_t i = 0; i < n; ++i) {
        if (ws[i] >= t) {
            acc += int64_t(ws[i]);
            if (r < acc) return i;
        }
    }
    return n;
}

// The rest summed in double, one element at a time: for float exact below 2^29 terms, for
// double n roundings of 2^-53 (within kRestError for any n below 2^32).
template <class T>
Kept weigh_keep(const T *x, int64_t n, T m, T a, int s, T lo, T *vals, int64_t *block_end) {
    Kept out{0, 0};
    for (int64_t j = 0; j < n; j += kSumBlock) {
        const int64_t end = j + kSumBlock < n ? j + kSumBlock : n;
        for (int64_t i = j; i < end; ++i) {
            T d = x[i] - m;
            if (a != T(1)) d = d * a;
            const T w = sampling::scaled_weight(d, s);
            if (w >= lo) {
                vals[out.count++] = w;
            } else {
                out.rest += double(w);
            }
        }
        block_end[j / kSumBlock] = out.count;
    }
    return out;
}

template <class T>
constexpr SampleKernels<T> sample_kernels() {
    return {&collect_ge<T>, &weigh<T>, &mass_ge<T>, &bracket<T>, &draw_at<T>, &weigh_keep<T>};
}

}  // namespace

const SampleKernelSet kGenericSampleKernels = {"generic", sample_kernels<float>(),
                                               sample_kernels<double>()};

const SampleKernelSet &sample_kernels_for([[maybe_unused]] const KernelSet &set) {
#if defined(__x86_64__)
    if (&set == &kAvx512Kernels || &set == &kAvx512Bf16Kernels) return kAvx512SampleKernels;
    if (&set == &kAvx2Kernels) return kAvx2SampleKernels;
#endif
    return kGenericSampleKernels;
}

}  // namespace sm4j
