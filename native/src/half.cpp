// Half-precision storage (SM4J_BF16, SM4J_F16; softmax4j.h).
//
// Softmax, log-softmax and log-sum-exp run the row kernels on the 16-bit rows themselves
// (rows.cpp, kernel_set.hpp): each pass loads half and widens in registers, computes in float,
// and the last pass narrows as it stores, so a call reads and writes its 16-bit operands once
// with no pass of its own for the conversions. Their results are the bits of the float
// operation on the widened rows, narrowed once. Only a batch of fewer rows than threads with
// rows long enough to split comes here (the kernels split float rows only).
//
// Every other operation that takes half data runs the float one, on rows widened into
// per-thread scratch, and its half outputs are narrowed back. One implementation for all of
// them: nothing here knows what the operation computes, only which operands are rows of the
// batch, which are half, and how wide each output row is.
//
// The batch goes in blocks of rows small enough that a block's float rows stay in L1 between
// the widening, the operation and the narrowing (4096 floats, 16 KB), so a half call reads and
// writes its 16-bit operands once. Short rows: the blocks are split over threads here and each
// runs serially inside (below the driver's grain). Long rows (>= 2 grains): blocks of as many
// rows as there are configured threads, and the float operation threads them itself, by rows or
// by parts of a row, as it would float data of that shape.
#include <algorithm>
#include <cstdint>

#include "driver.hpp"
#include "kernels/half_kernels.hpp"
#include "ops.hpp"
#include "scratch.hpp"
#include "softmax4j.h"

namespace sm4j {
namespace {

constexpr int64_t kHalfBlock = 4096;

// Scratch slots of their own: the float operations use slot 0 of float scratch themselves.
constexpr int kSlotIn = 11, kSlotBias = 12, kSlotOut0 = 13, kSlotOut1 = 14, kSlotBroadcast = 15;

bool is_half(int32_t dtype) { return dtype == SM4J_BF16 || dtype == SM4J_F16; }

int64_t dtype_bytes(int32_t dtype) {
    switch (dtype) {
        case SM4J_F64: return 8;
        case SM4J_F32:
        case SM4J_I32: return 4;
        case SM4J_BF16:
        case SM4J_F16: return 2;
        default: return 1;
    }
}

bool is_attention(int32_t code) {
    return code == SM4J_ATTENTION_SOFTMAX || code == SM4J_ATTENTION_LOG_SOFTMAX || code == SM4J_ATTENTION_LOGSUMEXP;
}

// Operands with one row for the whole call rather than one per row of the batch.
bool shared_row(const sm4j_call &c, bool input, int i) {
    const int32_t code = c.op & 0xff;
    if (!input) return false;
    if (code == SM4J_SAMPLE) return i == 2;  // the sampler's spec
    return is_attention(code) && i == 1 && (c.op & SM4J_BROADCAST) != 0;
}

// Elements per row of out[i].
int64_t out_width(const sm4j_call &c, int i) {
    const int32_t code = c.op & 0xff;
    if (code == SM4J_TOP_LOGPROBS) return i == 1 ? c.k + 1 : c.k;
    if (code == SM4J_LOGSUMEXP || code == SM4J_MASKED_LOGSUMEXP || code == SM4J_ATTENTION_LOGSUMEXP) return 1;
    return c.n;
}

void widen(const HalfKernels &h, int32_t dtype, const void *src, int64_t ld, float *dst, int64_t rows, int64_t n) {
    auto f = dtype == SM4J_BF16 ? h.bf16_to_f32 : h.f16_to_f32;
    const uint16_t *s = static_cast<const uint16_t *>(src);
    if (n > 0)
        for (int64_t r = 0; r < rows; ++r) f(s + r * ld, dst + r * n, n);
}

void narrow(const HalfKernels &h, int32_t dtype, const float *src, void *dst, int64_t ld, int64_t rows, int64_t n) {
    auto f = dtype == SM4J_BF16 ? h.f32_to_bf16 : h.f32_to_f16;
    uint16_t *d = static_cast<uint16_t *>(dst);
    if (n > 0)
        for (int64_t r = 0; r < rows; ++r) f(src + r * n, d + r * ld, n);
}

template <int Slot>
float *float_rows(int64_t rows, int64_t width) {
    return scratch<float, Slot>(std::max<int64_t>(rows * width, 1));
}

// Rows [r0, r0 + count) of the call, on the calling thread's scratch. broadcast: the shared bias
// row, already widened (null: none).
void run_block(const sm4j_call &c, const HalfKernels &h, int64_t r0, int64_t count, const float *broadcast) {
    const int32_t code = c.op & 0xff;
    const int64_t n = c.n;
    sm4j_call f = c;
    f.rows = count;
    for (int i = 0; i < 4; ++i) {
        if (c.in[i].data != nullptr && !shared_row(c, true, i))
            f.in[i].data = static_cast<char *>(c.in[i].data) + r0 * c.in[i].ld * dtype_bytes(c.in[i].dtype);
    }
    for (int i = 0; i < 2; ++i) {
        if (c.out[i].data != nullptr)
            f.out[i].data = static_cast<char *>(c.out[i].data) + r0 * c.out[i].ld * dtype_bytes(c.out[i].dtype);
    }
    float *x = float_rows<kSlotIn>(count, n);
    widen(h, c.in[0].dtype, f.in[0].data, c.in[0].ld, x, count, n);
    f.in[0] = {x, n, SM4J_F32};
    if (is_attention(code) && c.in[1].data != nullptr) {
        if (broadcast != nullptr) {
            f.in[1] = {const_cast<float *>(broadcast), 0, SM4J_F32};
        } else {
            float *b = float_rows<kSlotBias>(count, n);
            widen(h, c.in[1].dtype, f.in[1].data, c.in[1].ld, b, count, n);
            f.in[1] = {b, n, SM4J_F32};
        }
    }
    if (is_attention(code) && (c.op & SM4J_CAUSAL) != 0) f.k = c.k + r0;  // row i of the block is row r0 + i
    // Half outputs get float rows: in place over x where the operation allows it (a row of n that
    // is its input's shape), else scratch of their own.
    const bool in_place = code != SM4J_SAMPLE && code != SM4J_TOP_LOGPROBS;
    for (int i = 0; i < 2; ++i) {
        if (!is_half(c.out[i].dtype)) continue;
        const int64_t w = out_width(c, i);
        float *y = i == 0 && in_place && w == n ? x : i == 0 ? float_rows<kSlotOut0>(count, w) : float_rows<kSlotOut1>(count, w);
        f.out[i] = {y, w, SM4J_F32};
    }
    if (code == SM4J_SAMPLE) {
        sample(f.rows, n, x, n, static_cast<const int32_t *>(f.in[1].data), f.in[1].ld, f.k,
               static_cast<const double *>(f.in[2].data), uint64_t(f.param), static_cast<int32_t *>(f.out[0].data),
               f.out[0].ld, r0);
    } else {
        run_float(f);
    }
    for (int i = 0; i < 2; ++i) {
        if (!is_half(c.out[i].dtype)) continue;
        narrow(h, c.out[i].dtype, static_cast<const float *>(f.out[i].data),
               static_cast<char *>(c.out[i].data) + r0 * c.out[i].ld * 2, c.out[i].ld, count, out_width(c, i));
    }
}

// Softmax, log-softmax or LSE on rows stored as In, into In or float.
template <class In>
void run_rows_of(const sm4j_call &c, int32_t code) {
    const In *x = static_cast<const In *>(c.in[0].data);
    if (c.out[0].dtype == SM4J_F32) {
        row_op<float>(code, x, c.in[0].ld, static_cast<float *>(c.out[0].data), c.out[0].ld, c.rows, c.n, c.a);
    } else {
        row_op<float>(code, x, c.in[0].ld, static_cast<In *>(c.out[0].data), c.out[0].ld, c.rows, c.n, c.a);
    }
}

}  // namespace

void run_half(const sm4j_call &c) {
    const int64_t rows = c.rows, n = c.n;
    if (rows <= 0) return;
    const int32_t code = c.op & 0xff;
    // SM4J_COPY (half to the same half type: the benchmarks' baseline) is a memcpy per row.
    const bool row_op_code = code == SM4J_SOFTMAX || code == SM4J_LOG_SOFTMAX || code == SM4J_LOGSUMEXP ||
                             (code == SM4J_COPY && c.out[0].dtype == c.in[0].dtype);
    const bool split = rows < configured_threads() && n >= 2 * kParallelGrain;
    if (row_op_code && !split)
        return c.in[0].dtype == SM4J_BF16 ? run_rows_of<bf16>(c, code) : run_rows_of<f16>(c, code);
    const HalfKernels &h = active_half_kernels();
    const float *broadcast = nullptr;
    if (is_attention(code) && c.in[1].data != nullptr && (c.op & SM4J_BROADCAST) != 0) {
        // Widened once by the calling thread; the team's threads only read it.
        float *b = float_rows<kSlotBroadcast>(1, n);
        widen(h, c.in[1].dtype, c.in[1].data, 0, b, 1, n);
        broadcast = b;
    }
    if (n < 2 * kParallelGrain) {
        const int64_t per = std::max<int64_t>(1, kHalfBlock / std::max<int64_t>(n, 1));
        const int64_t blocks = (rows + per - 1) / per;
        auto body = [&](int64_t b) {
            const int64_t r0 = b * per;
            run_block(c, h, r0, std::min(per, rows - r0), broadcast);
        };
        const int want = threads_for(rows, n);
        if (want <= 1) {
            for (int64_t b = 0; b < blocks; ++b) body(b);
        } else {
            Team team(want, rows * std::max<int64_t>(n, 1) / kParallelGrain);
            team.run(blocks, body);
        }
        return;
    }
    // Long rows: fewer rows than threads go in one block (the float operation then splits each
    // row); otherwise blocks of `threads` rows, the last taking the remainder, which the float
    // operation spreads over its threads by rows, as it would the whole batch.
    const int64_t per = std::max<int64_t>(1, configured_threads());
    for (int64_t r0 = 0; r0 < rows;) {
        const int64_t count = rows - r0 < 2 * per ? rows - r0 : per;
        run_block(c, h, r0, count, broadcast);
        r0 += count;
    }
}

}  // namespace sm4j
