// The sampler kernels for AVX2 + FMA: sample_simd.hpp
// over vec_avx2.hpp, plus what the sampler needs beyond the row kernels' vocabulary. Compiled
// with the AVX2 flags and -ffp-contract=off (CMakeLists.txt).
#include "vec_avx2.hpp"
#include "sample_simd.hpp"

namespace sm4j {
namespace {

// AVX2 has no compress: hits are rare once the threshold has risen, so they are appended lane
// by lane. Nor a float -> int64 conversion: trunc(w) < 2^52 is taken from the bits of
// trunc(w) + 2^52 in double, where it is exact.
template <class Base, class Bits>
struct SampleAvx2 : Base {
    using T = typename Base::T;
    using Reg = typename Base::Reg;
    using Mask = typename Base::Mask;
    static Mask no_lanes() { return Mask(); }
    static int64_t append(T *vals, int32_t *ids, Mask m, Reg v, int64_t first) {
        alignas(32) T lane[Base::kWidth];
        Base::store(lane, v);
        unsigned bits = unsigned(Bits::movemask(m));
        int64_t c = 0;
        for (; bits != 0; bits &= bits - 1) {
            const int j = __builtin_ctz(bits);
            vals[c] = lane[j];
            ids[c] = int32_t(first + j);
            ++c;
        }
        return c;
    }
    static int64_t append_vals(T *vals, Mask m, Reg v) {
        alignas(32) T lane[Base::kWidth];
        Base::store(lane, v);
        int64_t c = 0;
        for (unsigned bits = unsigned(Bits::movemask(m)); bits != 0; bits &= bits - 1) vals[c++] = lane[__builtin_ctz(bits)];
        return c;
    }
    using QAcc = __m256i;
    static QAcc qacc_zero() { return _mm256_setzero_si256(); }
    static QAcc qacc_merge(QAcc a, QAcc b) { return _mm256_add_epi64(a, b); }
    static int64_t qacc_sum(QAcc acc) {
        alignas(32) int64_t l[4];
        _mm256_store_si256(reinterpret_cast<__m256i *>(l), acc);
        return l[0] + l[1] + l[2] + l[3];
    }
    static __m256i trunc_q(__m256d w) {
        const __m256d magic = _mm256_set1_pd(0x1p52);
        const __m256d t = _mm256_add_pd(_mm256_round_pd(w, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC), magic);
        return _mm256_sub_epi64(_mm256_castpd_si256(t), _mm256_castpd_si256(magic));
    }
};

struct PsBits {
    static int movemask(__m256 m) { return _mm256_movemask_ps(m); }
};
struct PdBits {
    static int movemask(__m256d m) { return _mm256_movemask_pd(m); }
};

struct SampleF32 : SampleAvx2<simd::Avx2F32, PsBits> {
    static Mask ge(Reg a, Reg b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
    static Mask bad(Reg v) { return _mm256_cmp_ps(v, set1(__builtin_inff()), _CMP_NLT_UQ); }
    static Mask mask_or(Mask a, Mask b) { return _mm256_or_ps(a, b); }
    static Mask mask_andnot(Mask a, Mask b) { return _mm256_andnot_ps(a, b); }
    // The lanes of w not in `in` = ge(w, lo) (w is never NaN): below lo.
    static Mask outside(Reg w, Reg lo, Mask) { return _mm256_cmp_ps(w, lo, _CMP_LT_OQ); }
    // Not less than b, or unordered: a >= b, or a NaN.
    static Mask nlt(Reg a, Reg b) { return _mm256_cmp_ps(a, b, _CMP_NLT_UQ); }
    static Reg zero_unless(Mask m, Reg v) { return _mm256_and_ps(m, v); }
    static QAcc qacc_add(QAcc acc, Reg w) {
        const __m256i lo = trunc_q(_mm256_cvtps_pd(_mm256_castps256_ps128(w)));
        const __m256i hi = trunc_q(_mm256_cvtps_pd(_mm256_extractf128_ps(w, 1)));
        return _mm256_add_epi64(acc, _mm256_add_epi64(lo, hi));
    }
};

struct SampleF64 : SampleAvx2<simd::Avx2F64, PdBits> {
    static Mask ge(Reg a, Reg b) { return _mm256_cmp_pd(a, b, _CMP_GE_OQ); }
    static Mask bad(Reg v) { return _mm256_cmp_pd(v, set1(__builtin_inf()), _CMP_NLT_UQ); }
    static Mask mask_or(Mask a, Mask b) { return _mm256_or_pd(a, b); }
    static Mask mask_andnot(Mask a, Mask b) { return _mm256_andnot_pd(a, b); }
    static Mask outside(Reg w, Reg lo, Mask) { return _mm256_cmp_pd(w, lo, _CMP_LT_OQ); }
    // Not less than b, or unordered: a >= b, or a NaN.
    static Mask nlt(Reg a, Reg b) { return _mm256_cmp_pd(a, b, _CMP_NLT_UQ); }
    static Reg zero_unless(Mask m, Reg v) { return _mm256_and_pd(m, v); }
    static QAcc qacc_add(QAcc acc, Reg w) { return _mm256_add_epi64(acc, trunc_q(w)); }
};

}  // namespace

const SampleKernelSet kAvx2SampleKernels = {"avx2", simd::sample::sample_kernels<SampleF32>(),
                                            simd::sample::sample_kernels<SampleF64>()};

}  // namespace sm4j
