// SM4J_INLINE: always inline, for the small helpers called in the kernels' inner loops. GCC 12's
// heuristics differ between instruction sets: it left the exp (exp4) out of line in the avx2 set
// (its four vectors then went through memory by reference: 7.1 against 4.9 instructions per
// element of log-softmax, callgrind), and the sampler's weight as well (16 calls in the weighing
// loops; sample_simd.hpp), while inlining both in avx512. And a helper that only prefetches must
// be inlined to survive: GCC counts a prefetch as no side effect, finds such a function pure and
// deletes the calls it has not inlined (attention.cpp).
#pragma once

#define SM4J_INLINE inline __attribute__((always_inline))
