// AArch64 Advanced SIMD (NEON) wrappers: the vocabulary of vec_avx512.hpp for float (4 lanes) and
// double (2 lanes). ASIMD is part of the AArch64 baseline, so neon.cpp needs no extra flags.
//
// Where NEON differs from x86 and the wrappers make up for it:
// - No masked loads or stores. The kernels use them only for a row's last, partial vector, with
//   masks from first(); load_first and store_first go through a register-sized buffer on the
//   stack, so nothing outside the row is read or written.
// - FMAX/FMIN return NaN when either operand is NaN; max and min here keep the x86 rule (the
//   second operand when either is NaN), which the kernels rely on to skip NaN elements in the
//   extreme and to keep a NaN through the exp's clamp.
// - No scalef: ldexp_floor builds 2^k in the exponent field, in two halves below the normal
//   range, as vec_avx2.hpp does.
#pragma once

#include <arm_neon.h>

#include <cstdint>

#include "storage.hpp"

namespace sm4j::simd {

struct NeonF32 {
    using T = float;
    using Reg = float32x4_t;
    using Mask = uint32x4_t;
    using Acc = float64x2_t;  // float partial sums, widened: see acc_add
    static constexpr int kWidth = 4;

    static Reg set1(T v) { return vdupq_n_f32(v); }
    static Reg load(const T *p) { return vld1q_f32(p); }
    static void store(T *p, Reg v) { vst1q_f32(p, v); }
    // Half-precision rows (bfloat16, float16): one element at a time by the portable rules of
    // storage.hpp (half_kernels.hpp), the conversions AArch64 uses everywhere (half_generic.cpp),
    // so the in-kernel path has the bits of the widening layer by construction.
    template <class S>
    static Reg load(const S *p) {
        T buf[kWidth];
        for (int i = 0; i < kWidth; ++i) buf[i] = widen(p[i]);
        return vld1q_f32(buf);
    }
    template <class S>
    static void store(S *p, Reg v) {
        T buf[kWidth];
        vst1q_f32(buf, v);
        for (int i = 0; i < kWidth; ++i) p[i] = narrow<S>(buf[i]);
    }
    // Lanes [0, k), k >= 1.
    static Mask first(int64_t k) {
        const uint32_t lanes[kWidth] = {0, 1, 2, 3};
        return vcltq_u32(vld1q_u32(lanes), vdupq_n_u32(uint32_t(k >= kWidth ? kWidth : k)));
    }
    // m must come from first(): its lanes are a prefix, count(m) long.
    // S: T, or a 16-bit storage type (converted as load and store above).
    template <class S>
    static Reg load_first(const S *p, Mask m, T fill) {
        T buf[kWidth] = {fill, fill, fill, fill};
        for (int i = 0, n = count(m); i < n; ++i) buf[i] = widen(p[i]);
        return vld1q_f32(buf);
    }
    template <class S>
    static void store_first(S *p, Mask m, Reg v) {
        T buf[kWidth];
        vst1q_f32(buf, v);
        for (int i = 0, n = count(m); i < n; ++i) p[i] = narrow<S>(buf[i]);
    }

    static Reg add(Reg a, Reg b) { return vaddq_f32(a, b); }
    static Reg sub(Reg a, Reg b) { return vsubq_f32(a, b); }
    static Reg mul(Reg a, Reg b) { return vmulq_f32(a, b); }
    static Reg fma(Reg a, Reg b, Reg c) { return vfmaq_f32(c, a, b); }
    // As x86's maxps and minps: the second operand when either is NaN.
    static Reg max(Reg a, Reg b) { return vbslq_f32(vcgtq_f32(a, b), a, b); }
    static Reg min(Reg a, Reg b) { return vbslq_f32(vcltq_f32(a, b), a, b); }
    // p * 2^floor(v) for v in [-152, 128), as Avx2F32::ldexp_floor: 2^k from the exponent field,
    // and below the normal powers in two halves, so that the one rounding into the subnormal
    // range happens in the last product. The test ignores NaN lanes (FMINNMV), as the AVX2 one
    // does; their p is NaN whatever the power.
    static Reg ldexp_floor(Reg p, Reg v) {
        Reg k = vrndmq_f32(v);
        if (vminnmvq_f32(k) >= -126.0f) return vmulq_f32(p, pow2(k));
        Reg k1 = vrndmq_f32(vmulq_f32(k, set1(0.5f)));
        return vmulq_f32(vmulq_f32(p, pow2(k1)), pow2(vsubq_f32(k, k1)));
    }
    // table[low 4 bits of t] per lane. The table (64 bytes) is four registers for TBL, which
    // picks bytes: lane j takes bytes 4j .. 4j + 3.
    // The table is float or its bits (exp_normal's), hence void.
    static Reg lookup16(const void *table, Reg t) {
        const uint8_t *p = static_cast<const uint8_t *>(table);
        uint8x16x4_t tab = {{vld1q_u8(p), vld1q_u8(p + 16), vld1q_u8(p + 32), vld1q_u8(p + 48)}};
        uint32x4_t j = vandq_u32(vreinterpretq_u32_f32(t), vdupq_n_u32(15));
        uint32x4_t bytes = vmlaq_u32(vdupq_n_u32(0x03020100u), j, vdupq_n_u32(0x04040404u));
        return vreinterpretq_f32_u8(vqtbl4q_u8(tab, vreinterpretq_u8_u32(bytes)));
    }
    // 2^n for integral n in [-126, 127], built in the exponent field.
    static Reg pow2(Reg n) {
        int32x4_t e = vaddq_s32(vcvtq_s32_f32(n), vdupq_n_s32(127));
        return vreinterpretq_f32_s32(vshlq_n_s32(e, 23));
    }
    // The bits of t shifted left by s, and a + b on the bits (integer lanes): 2^k built in the
    // exponent field (exp_normal). s is a constant at every call; vshlq_u32 takes it in a register.
    static Reg shift_bits(Reg t, int s) {
        return vreinterpretq_f32_u32(vshlq_u32(vreinterpretq_u32_f32(t), vdupq_n_s32(s)));
    }
    static Reg add_bits(Reg a, Reg b) {
        return vreinterpretq_f32_u32(vaddq_u32(vreinterpretq_u32_f32(a), vreinterpretq_u32_f32(b)));
    }

    static Mask nonzero(Reg v) { return vmvnq_u32(vceqq_f32(v, vdupq_n_f32(0))); }  // NaN: set
    static Mask mask_and(Mask a, Mask b) { return vandq_u32(a, b); }
    static int count(Mask m) { return int(vaddvq_u32(vshrq_n_u32(m, 31))); }
    static Reg add_where(Reg acc, Mask m, Reg v) {
        return vaddq_f32(acc, vreinterpretq_f32_u32(vandq_u32(m, vreinterpretq_u32_f32(v))));
    }
    static Mask infinite(Reg v) { return vceqq_f32(vabsq_f32(v), set1(__builtin_inff())); }
    static Mask equal(Reg a, Reg b) { return vceqq_f32(a, b); }
    static Mask less(Reg a, Reg b) { return vcltq_f32(a, b); }
    static Mask finite(Reg v) { return vcltq_f32(vabsq_f32(v), set1(__builtin_inff())); }
    static bool any(Mask m) { return vmaxvq_u32(m) != 0; }
    static Reg select(Mask m, Reg a, Reg b) { return vbslq_f32(m, a, b); }

    static Acc acc_zero() { return vdupq_n_f64(0); }
    static Acc acc_add(Acc acc, Reg s) {
        return vaddq_f64(acc, vaddq_f64(vcvt_f64_f32(vget_low_f32(s)), vcvt_high_f64_f32(s)));
    }
    // acc_sum(acc_add(acc_zero(), s)) without the exact + 0 (the short-row kernels' lanes hold no -0).
    static double widened_sum(Reg s) { return acc_sum(vaddq_f64(vcvt_f64_f32(vget_low_f32(s)), vcvt_high_f64_f32(s))); }
    static double acc_sum(Acc acc) { return vaddvq_f64(acc); }
    // The kernels reduce only registers without NaN (max and min above skip them).
    static T reduce_max(Reg v) { return vmaxvq_f32(v); }
    static T reduce_min(Reg v) { return vminvq_f32(v); }
};

struct NeonF64 {
    using T = double;
    using Reg = float64x2_t;
    using Mask = uint64x2_t;
    using Acc = float64x2_t;
    static constexpr int kWidth = 2;

    static Reg set1(T v) { return vdupq_n_f64(v); }
    static Reg load(const T *p) { return vld1q_f64(p); }
    static void store(T *p, Reg v) { vst1q_f64(p, v); }
    static Mask first(int64_t k) {
        const uint64_t lanes[kWidth] = {0, 1};
        return vcltq_u64(vld1q_u64(lanes), vdupq_n_u64(uint64_t(k >= kWidth ? kWidth : k)));
    }
    static Reg load_first(const T *p, Mask m, T fill) {
        return vgetq_lane_u64(m, 1) != 0 ? vld1q_f64(p) : vsetq_lane_f64(p[0], set1(fill), 0);
    }
    static void store_first(T *p, Mask m, Reg v) {
        if (vgetq_lane_u64(m, 1) != 0)
            vst1q_f64(p, v);
        else
            p[0] = vgetq_lane_f64(v, 0);
    }

    static Reg add(Reg a, Reg b) { return vaddq_f64(a, b); }
    static Reg sub(Reg a, Reg b) { return vsubq_f64(a, b); }
    static Reg mul(Reg a, Reg b) { return vmulq_f64(a, b); }
    static Reg fma(Reg a, Reg b, Reg c) { return vfmaq_f64(c, a, b); }
    static Reg max(Reg a, Reg b) { return vbslq_f64(vcgtq_f64(a, b), a, b); }
    static Reg min(Reg a, Reg b) { return vbslq_f64(vcltq_f64(a, b), a, b); }
    // As NeonF32::ldexp_floor, for v in [-1078, 1024).
    static Reg ldexp_floor(Reg p, Reg v) {
        Reg k = vrndmq_f64(v);
        if (vminnmvq_f64(k) >= -1022.0) return vmulq_f64(p, pow2(k));
        Reg k1 = vrndmq_f64(vmulq_f64(k, set1(0.5)));
        return vmulq_f64(vmulq_f64(p, pow2(k1)), pow2(vsubq_f64(k, k1)));
    }
    // Two lanes: two loads beat TBL over a 128-byte table (eight registers, two lookups).
    static Reg lookup16(const void *table, Reg t) {
        const T *p = static_cast<const T *>(table);
        uint64x2_t j = vandq_u64(vreinterpretq_u64_f64(t), vdupq_n_u64(15));
        Reg r = vld1q_dup_f64(p + vgetq_lane_u64(j, 0));
        return vld1q_lane_f64(p + vgetq_lane_u64(j, 1), r, 1);
    }
    static Reg pow2(Reg n) {
        int64x2_t e = vaddq_s64(vcvtq_s64_f64(n), vdupq_n_s64(1023));
        return vreinterpretq_f64_s64(vshlq_n_s64(e, 52));
    }
    static Reg shift_bits(Reg t, int s) {
        return vreinterpretq_f64_u64(vshlq_u64(vreinterpretq_u64_f64(t), vdupq_n_s64(s)));
    }
    static Reg add_bits(Reg a, Reg b) {
        return vreinterpretq_f64_u64(vaddq_u64(vreinterpretq_u64_f64(a), vreinterpretq_u64_f64(b)));
    }

    static Mask nonzero(Reg v) {
        return vreinterpretq_u64_u32(vmvnq_u32(vreinterpretq_u32_u64(vceqq_f64(v, vdupq_n_f64(0)))));
    }
    static Mask mask_and(Mask a, Mask b) { return vandq_u64(a, b); }
    static int count(Mask m) { return int(vaddvq_u64(vshrq_n_u64(m, 63))); }
    static Reg add_where(Reg acc, Mask m, Reg v) {
        return vaddq_f64(acc, vreinterpretq_f64_u64(vandq_u64(m, vreinterpretq_u64_f64(v))));
    }
    static Mask infinite(Reg v) { return vceqq_f64(vabsq_f64(v), set1(__builtin_inf())); }
    static Mask equal(Reg a, Reg b) { return vceqq_f64(a, b); }
    static Mask less(Reg a, Reg b) { return vcltq_f64(a, b); }
    static Mask finite(Reg v) { return vcltq_f64(vabsq_f64(v), set1(__builtin_inf())); }
    static bool any(Mask m) { return (vgetq_lane_u64(m, 0) | vgetq_lane_u64(m, 1)) != 0; }
    static Reg select(Mask m, Reg a, Reg b) { return vbslq_f64(m, a, b); }

    static Acc acc_zero() { return vdupq_n_f64(0); }
    static Acc acc_add(Acc acc, Reg s) { return vaddq_f64(acc, s); }
    // acc_sum(acc_add(acc_zero(), s)) without the exact + 0 (the short-row kernels' lanes hold no -0).
    static double widened_sum(Reg s) { return acc_sum(s); }
    static double acc_sum(Acc acc) { return vaddvq_f64(acc); }
    static T reduce_max(Reg v) { return vmaxvq_f64(v); }
    static T reduce_min(Reg v) { return vminvq_f64(v); }
};

}  // namespace sm4j::simd
