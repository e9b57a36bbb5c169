// The sampler kernels for AVX2 + FMA: sample_simd.hpp
// over vec_avx2.hpp, plus what the sampler needs beyond the row kernels' vocabulary. Compiled
// with the AVX2 flags and -ffp-contract=off (CMakeLists.txt).
#include "vec_avx2.hpp"
#include "sample_simd.hpp"

namespace sm4j {
namespace {

// AVX2 has no compress: it is a permute by a table of lane indices, one entry per movemask
// value, and a store of the whole vector; the lanes past the count are junk that the next append
// overwrites (the kernels' callers leave kCollectSlack entries of room for them). No branch per
// member: storing the vector and appending its members lane by lane mispredicted on about every
// other vector of top-p's weigh_keep pass, whose members are ~1 lane in 8. Nor a float -> int64
// conversion: trunc(w) < 2^52 is taken from the bits of trunc(w) + 2^52 in double, where it is
// exact.
template <class Base, class Bits>
struct SampleAvx2 : Base {
    using T = typename Base::T;
    using Reg = typename Base::Reg;
    using Mask = typename Base::Mask;
    static Mask no_lanes() { return Mask(); }
    static int64_t append(T *vals, int32_t *ids, Mask m, Reg v, int64_t first) {
        const unsigned bits = unsigned(Bits::movemask(m));
        Bits::store(vals, Bits::pack(v, bits));
        Bits::store_ids(ids, bits, int32_t(first));
        return __builtin_popcount(bits);
    }
    static int64_t append_vals(T *vals, Mask m, Reg v) {
        const unsigned bits = unsigned(Bits::movemask(m));
        Bits::store(vals, Bits::pack(v, bits));
        return __builtin_popcount(bits);
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

// The lane indices of the set bits of each mask of `lanes` bits, in increasing order, one byte
// each (`width` bytes per lane: a double lane is moved as two 32-bit halves), then zeros.
struct PackTable {
    uint64_t entry[256];
    constexpr PackTable(int lanes, int width) : entry{} {
        for (unsigned m = 0; m < (1u << lanes); ++m) {
            uint64_t e = 0;
            int at = 0;
            for (int j = 0; j < lanes; ++j)
                if ((m >> j) & 1u)
                    for (int h = 0; h < width; ++h) e |= uint64_t(j * width + h) << (8 * at++);
            entry[m] = e;
        }
    }
};
constexpr PackTable kPack8x1(8, 1);  // 8 float lanes; also the 4 id lanes of a double vector
constexpr PackTable kPack4x2(4, 2);  // 4 double lanes as pairs of 32-bit lanes

inline __m256i pack_index(const PackTable &t, unsigned bits) {
    return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(&t.entry[bits])));
}

struct PsBits {
    static int movemask(__m256 m) { return _mm256_movemask_ps(m); }
    static __m256 pack(__m256 v, unsigned bits) { return _mm256_permutevar8x32_ps(v, pack_index(kPack8x1, bits)); }
    static void store(float *p, __m256 v) { _mm256_storeu_ps(p, v); }
    static void store_ids(int32_t *ids, unsigned bits, int32_t first) {
        const __m256i j = _mm256_add_epi32(pack_index(kPack8x1, bits), _mm256_set1_epi32(first));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(ids), j);
    }
};
struct PdBits {
    static int movemask(__m256d m) { return _mm256_movemask_pd(m); }
    static __m256d pack(__m256d v, unsigned bits) {
        return _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(v), pack_index(kPack4x2, bits)));
    }
    static void store(double *p, __m256d v) { _mm256_storeu_pd(p, v); }
    static void store_ids(int32_t *ids, unsigned bits, int32_t first) {
        const __m128i j = _mm_cvtepu8_epi32(_mm_cvtsi32_si128(int(uint32_t(kPack8x1.entry[bits]))));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(ids), _mm_add_epi32(j, _mm_set1_epi32(first)));
    }
};

struct SampleF32 : SampleAvx2<simd::Avx2F32, PsBits> {
    static Mask ge(Reg a, Reg b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
    static Mask bad(Reg v) { return _mm256_cmp_ps(v, set1(__builtin_inff()), _CMP_NLT_UQ); }
    static Mask mask_or(Mask a, Mask b) { return _mm256_or_ps(a, b); }
    static Mask mask_andnot(Mask a, Mask b) { return _mm256_andnot_ps(a, b); }
    // acc + the lanes of w not in `in` (= ge(w, lo); w is never NaN, so those are below lo).
    static Reg add_outside(Reg acc, Mask in, Reg w) { return _mm256_add_ps(acc, _mm256_andnot_ps(in, w)); }
    // Not less than b, or unordered: a >= b, or a NaN.
    static Mask nlt(Reg a, Reg b) { return _mm256_cmp_ps(a, b, _CMP_NLT_UQ); }
    static Reg zero_unless(Mask m, Reg v) { return _mm256_and_ps(m, v); }
    // w0 2^(floor(N/16) + s), the exponent field built from t's bits. bits(t) = bits(kShifter) + N,
    // and bits(kShifter) is a multiple of 16, so floor(N/16) = (bits(t) >> 4) - bits(kShifter) / 16.
    // The exponent lies in [-58, 51] (N in [-924, 0], s in [0, 51]), so the power of two and the
    // product are normal and need none of ldexp_floor's subnormal care: four operations instead of
    // ten, one of them a compare-and-branch on every vector.
    static Reg scale_weight(Reg w0, Reg t, Reg, Reg s) {
        constexpr int32_t kShifterBits = 0x4B400000;
        static_assert(sampling::WeightSpec<float>::kShifter == 0x1.8p+23f && kShifterBits % 16 == 0);
        const __m256i bias = _mm256_add_epi32(_mm256_cvtps_epi32(s), _mm256_set1_epi32(127 - kShifterBits / 16));
        const __m256i e = _mm256_add_epi32(_mm256_srai_epi32(_mm256_castps_si256(t), 4), bias);
        return _mm256_mul_ps(w0, _mm256_castsi256_ps(_mm256_slli_epi32(e, 23)));
    }
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
    static Reg add_outside(Reg acc, Mask in, Reg w) { return _mm256_add_pd(acc, _mm256_andnot_pd(in, w)); }
    // Not less than b, or unordered: a >= b, or a NaN.
    static Mask nlt(Reg a, Reg b) { return _mm256_cmp_pd(a, b, _CMP_NLT_UQ); }
    static Reg zero_unless(Mask m, Reg v) { return _mm256_and_pd(m, v); }
    // As SampleF32::scale_weight; t > 0, so the logical shift is the arithmetic one AVX2 lacks,
    // and s, an integer below 2^52, is read from the bits of s + 2^52.
    static Reg scale_weight(Reg w0, Reg t, Reg, Reg s) {
        constexpr int64_t kShifterBits = 0x4338000000000000;
        static_assert(sampling::WeightSpec<double>::kShifter == 0x1.8p+52 && kShifterBits % 16 == 0);
        const __m256d magic = set1(0x1p52);
        const __m256i si = _mm256_sub_epi64(_mm256_castpd_si256(_mm256_add_pd(s, magic)), _mm256_castpd_si256(magic));
        const __m256i bias = _mm256_add_epi64(si, _mm256_set1_epi64x(1023 - kShifterBits / 16));
        const __m256i e = _mm256_add_epi64(_mm256_srli_epi64(_mm256_castpd_si256(t), 4), bias);
        return _mm256_mul_pd(w0, _mm256_castsi256_pd(_mm256_slli_epi64(e, 52)));
    }
    static QAcc qacc_add(QAcc acc, Reg w) { return _mm256_add_epi64(acc, trunc_q(w)); }
};

}  // namespace

const SampleKernelSet kAvx2SampleKernels = {"avx2", simd::sample::sample_kernels<SampleF32>(),
                                            simd::sample::sample_kernels<SampleF64>()};

}  // namespace sm4j
