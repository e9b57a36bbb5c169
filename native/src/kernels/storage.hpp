// The storage types of a row kernel's operands. The kernels compute in float or double (T); a
// row may be held in T or, for float, in one of the 16-bit types below, which the kernels widen
// as they load and narrow as they store (kernel_set.hpp), by the rules of half_kernels.hpp.
//
// bf16 and f16 are distinct types over the same 16 bits, so that overloads (the vector
// wrappers' load and store, widen and narrow here) pick the conversion from the pointer type.
#pragma once

#include <cstdint>

#include "half_kernels.hpp"

namespace sm4j {

enum class bf16 : uint16_t {};
enum class f16 : uint16_t {};

// A stored element as the compute type, exactly. For the kernels' scalar paths (edge rows).
inline float widen(float v) { return v; }
inline double widen(double v) { return v; }
inline float widen(bf16 h) { return half::bf16_to_f32(uint16_t(h)); }
inline float widen(f16 h) { return half::f16_to_f32(uint16_t(h)); }

// A computed value in storage type S: rounded to nearest even for the 16-bit types.
template <class S>
inline S narrow(float v);
template <>
inline float narrow<float>(float v) { return v; }
template <>
inline bf16 narrow<bf16>(float v) { return bf16(half::f32_to_bf16(v)); }
template <>
inline f16 narrow<f16>(float v) { return f16(half::f32_to_f16(v)); }
template <class S>
inline S narrow(double v) { return S(v); }  // double rows are stored as double only

}  // namespace sm4j
