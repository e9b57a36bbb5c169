// The JNI side of the one C entry: JavaCPP-generated code calls these, and they build one
// sm4j_call for sm4j_run (softmax4j.h).
//
// Each operand travels as (where, stride). `layout` packs, per slot (in0..in3, out0, out1; 8 bits
// each, from bit 0): the dtype in the low 4 bits (0: no operand) and in the high 4 bits where the
// data is: 0 = `where` is its address; 1..4 = it is in pinned heap array h0..h3, `where` bytes
// from the array's start. The Java side has validated everything (softmax4j.h trusts its caller).
// This header is compiled with JavaCPP's flags, so it must stay free of hot code.
#pragma once

#include <jni.h>
#include <stdint.h>

#include "softmax4j.h"

namespace sm4j_bridge {

const int kSlots = 6;
const int kHandles = 4;

inline void operand(sm4j_call &c, int slot, int64_t layout, char *const pinned[kHandles],
                    int64_t where, int64_t ld) {
    const int bits = int((layout >> (8 * slot)) & 0xff);
    const int dtype = bits & 0xf, source = bits >> 4;
    sm4j_operand &o = slot < 4 ? c.in[slot] : c.out[slot - 4];
    o.dtype = dtype;
    o.ld = ld;
    if (dtype == SM4J_NONE) {
        o.data = NULL;
    } else if (source == 0) {
        o.data = reinterpret_cast<void *>(static_cast<intptr_t>(where));
    } else {
        o.data = pinned[source - 1] + where;
    }
}

// The call's scalars. The calls below fill every field of sm4j_call themselves rather than
// starting from a zeroing initializer: GCC compiles that initializer's 184 bytes to a `rep stos`,
// which perf showed as half of this bridge's own time (~10 ns of a 1×10 softmax on Zen 4).
inline void scalars(sm4j_call &c, int32_t op, int64_t rows, int64_t n, int64_t k, double a, double param) {
    c.op = op;
    c.rows = rows;
    c.n = n;
    c.k = k;
    c.a = a;
    c.param = param;
}

// A slot the call has no operand in.
inline void none(sm4j_operand &o) {
    o.data = NULL;
    o.ld = 0;
    o.dtype = SM4J_NONE;
}

// One call from the JNI arguments: every slot's (where, stride) pair through operand().
inline void run(int32_t op, int64_t rows, int64_t n, int64_t k, double a, double param, int64_t layout,
                char *const pinned[kHandles], const int64_t where[kSlots], const int64_t ld[kSlots]) {
    sm4j_call c;
    scalars(c, op, rows, n, k, a, param);
    for (int slot = 0; slot < kSlots; slot++) operand(c, slot, layout, pinned, where[slot], ld[slot]);
    sm4j_run(&c);
}

// Pins the non-null handles (a JNI critical region each; no copy, and an in-place call sees one
// array), returning false if the JVM could not pin one: it then has an OutOfMemoryError pending,
// which Java sees on return, and nothing must be computed.
inline bool pin(JNIEnv *env, const jobject handles[kHandles], char *pinned[kHandles]) {
    for (int i = 0; i < kHandles; i++) {
        if (handles[i] != NULL) {
            pinned[i] = static_cast<char *>(env->GetPrimitiveArrayCritical(static_cast<jarray>(handles[i]), NULL));
            if (pinned[i] == NULL) return false;
        }
    }
    return true;
}

inline void unpin(JNIEnv *env, const jobject handles[kHandles], char *const pinned[kHandles]) {
    for (int i = kHandles - 1; i >= 0; i--) {
        if (pinned[i] != NULL) env->ReleasePrimitiveArrayCritical(static_cast<jarray>(handles[i]), pinned[i], 0);
    }
}

// A call with operands in in[0] and out[0] only (the row operations): two slots to decode.
inline void run2(int32_t op, int64_t rows, int64_t n, int64_t k, double a, double param, int64_t layout,
                 char *const pinned[kHandles], int64_t w0, int64_t l0, int64_t w4, int64_t l4) {
    sm4j_call c;
    scalars(c, op, rows, n, k, a, param);
    operand(c, 0, layout, pinned, w0, l0);
    none(c.in[1]);
    none(c.in[2]);
    none(c.in[3]);
    operand(c, 4, layout, pinned, w4, l4);
    none(c.out[1]);
    sm4j_run(&c);
}

}  // namespace sm4j_bridge

// Every operand in native memory: no object arguments, so the cheapest JNI call.
inline void sm4j_bridge_run(int32_t op, int64_t rows, int64_t n, int64_t k, double a, double param,
                            int64_t layout, int64_t w0, int64_t l0, int64_t w1, int64_t l1,
                            int64_t w2, int64_t l2, int64_t w3, int64_t l3, int64_t w4, int64_t l4,
                            int64_t w5, int64_t l5) {
    char *none[sm4j_bridge::kHandles] = {NULL, NULL, NULL, NULL};
    const int64_t where[sm4j_bridge::kSlots] = {w0, w1, w2, w3, w4, w5};
    const int64_t ld[sm4j_bridge::kSlots] = {l0, l1, l2, l3, l4, l5};
    sm4j_bridge::run(op, rows, n, k, a, param, layout, none, where, ld);
}

// Some operands in heap arrays (any primitive type): each distinct array is pinned once for the
// call (a JNI critical region: no copy, and an in-place call sees one array), the rest are
// addresses. Nothing inside the critical regions calls back into the JVM.
inline void sm4j_bridge_run_pinned(JNIEnv *env, jclass, int32_t op, int64_t rows, int64_t n,
                                   int64_t k, double a, double param, int64_t layout, jobject h0,
                                   jobject h1, jobject h2, jobject h3, int64_t w0, int64_t l0,
                                   int64_t w1, int64_t l1, int64_t w2, int64_t l2, int64_t w3,
                                   int64_t l3, int64_t w4, int64_t l4, int64_t w5, int64_t l5) {
    const jobject handles[sm4j_bridge::kHandles] = {h0, h1, h2, h3};
    char *pinned[sm4j_bridge::kHandles] = {NULL, NULL, NULL, NULL};
    if (sm4j_bridge::pin(env, handles, pinned)) {
        const int64_t where[sm4j_bridge::kSlots] = {w0, w1, w2, w3, w4, w5};
        const int64_t ld[sm4j_bridge::kSlots] = {l0, l1, l2, l3, l4, l5};
        sm4j_bridge::run(op, rows, n, k, a, param, layout, pinned, where, ld);
    }
    sm4j_bridge::unpin(env, handles, pinned);
}

// One input and one output, in native memory.
inline void sm4j_bridge_run2(int32_t op, int64_t rows, int64_t n, int64_t k, double a, double param,
                             int64_t layout, int64_t w0, int64_t l0, int64_t w4, int64_t l4) {
    char *none[sm4j_bridge::kHandles] = {NULL, NULL, NULL, NULL};
    sm4j_bridge::run2(op, rows, n, k, a, param, layout, none, w0, l0, w4, l4);
}

// One input and one output, in up to two heap arrays (an in-place call pins one).
inline void sm4j_bridge_run2_pinned(JNIEnv *env, jclass, int32_t op, int64_t rows, int64_t n, int64_t k,
                                    double a, double param, int64_t layout, jobject h0, jobject h1,
                                    int64_t w0, int64_t l0, int64_t w4, int64_t l4) {
    const jobject handles[sm4j_bridge::kHandles] = {h0, h1, NULL, NULL};
    char *pinned[sm4j_bridge::kHandles] = {NULL, NULL, NULL, NULL};
    if (sm4j_bridge::pin(env, handles, pinned)) {
        sm4j_bridge::run2(op, rows, n, k, a, param, layout, pinned, w0, l0, w4, l4);
    }
    sm4j_bridge::unpin(env, handles, pinned);
}

// The calling thread's staging area (NativeBackend's short heap-array calls on the JNI transport:
// Java copies the rows in, calls sm4j_bridge_run2 with addresses in it, copies the output back):
// its address, the same for every call on this thread. A C++ thread_local, so the area is owned
// by the thread and released by the C runtime when the thread exits: no allocation per call, no
// free to forget, nothing left to a garbage collector. Its size is stated here only: Java reads
// it from sm4j_bridge_stage_bytes (Staging checks that two operands fit).
namespace sm4j_bridge {
constexpr int32_t kStageBytes = 1024;
}
inline int64_t sm4j_bridge_stage() {
    alignas(64) static thread_local char area[sm4j_bridge::kStageBytes];
    return static_cast<int64_t>(reinterpret_cast<intptr_t>(area));
}

// The size in bytes of the area sm4j_bridge_stage returns.
inline int32_t sm4j_bridge_stage_bytes() { return sm4j_bridge::kStageBytes; }

// The same call as sm4j_bridge_run2_pinned, for the JDK 22+ transport (java22's Downcall): a
// plain C function reached through the FFM API, with the arrays' element addresses h0, h1 given
// by the JVM (a critical downcall: the thread stays in Java, so the GC cannot move them during
// the call) rather than pinned here. NULL where the call has no such array. Java calls it only
// for calls that are short and never call back (Downcall.take), so it must stay that way:
// nothing here blocks or calls into the JVM.
extern "C" __attribute__((visibility("default"))) void sm4j_ffm_run2(
        int32_t op, int64_t rows, int64_t n, int64_t k, double a, double param, int64_t layout, char *h0,
        char *h1, int64_t w0, int64_t l0, int64_t w4, int64_t l4) {
    char *const pinned[sm4j_bridge::kHandles] = {h0, h1, NULL, NULL};
    sm4j_bridge::run2(op, rows, n, k, a, param, layout, pinned, w0, l0, w4, l4);
}
