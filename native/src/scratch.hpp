// Per-thread working memory for row operations that need a row-sized temporary.
#pragma once

#include <cstdint>
#include <vector>

namespace sm4j {

// A buffer of at least n elements owned by the calling thread, reused across calls. Slot tells
// apart two buffers of one type needed at the same time. It keeps its largest size until the
// thread ends.
template <class U, int Slot = 0>
inline U *scratch(int64_t n) {
    thread_local std::vector<U> buffer;
    if (buffer.size() < size_t(n)) buffer.resize(size_t(n));
    return buffer.data();
}

}  // namespace sm4j
