// The float32 exp of every kernel set, exhaustively: every float d in [-104, 0] (both zeros
// included, about 1.12e9 values) through the exp the kernels use. The reference is the double
// exp of the same d, whose own error (< 1 ulp of double) is 2^-29 of a float ulp: negligible
// against the bound.
//
// Bound: 1.01 ulp for the vector sets (simd_exp.hpp: the table entries' rounding, up to half
// an ulp, plus the polynomial's and the final FMA's; 1.005 measured at d = -21.34), 1 ulp for
// the generic set's libm expf. Every set must also give exactly 1 at d = -0 and 0 (a row's
// dominant term). Where the exp is not monotonic (adjacent floats whose exps are in the wrong
// order: table entries meet polynomials of opposite error there) is printed, not checked: the
// accuracy contract is the ulp bound, and a 1-ulp inversion is within it.
//
// Why separate from test_kernels (which samples every 61st float): a sweep of 2^30 values is
// ~10 s of CPU per set, so it runs as its own ctest entry, beside the others, with OpenMP over
// both cores. `--every K` checks every K-th float only: the sanitizer build (it looks for memory
// errors, and the whole sweep under ASan would take minutes) and the linux-arm64 build under QEMU
// (tens of minutes for the whole sweep; native/cross-test.sh --exp-exhaustive runs all of it).
//
// Each set also prints a hash of its results' bits (FNV-1a per chunk, in input order, the chunks'
// hashes combined by XOR with their index in the seed, so the threads' order does not matter):
// two sets have the same hash, for the same K, exactly when (but for a collision) their exps
// agree bit for bit on every input checked.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "check.hpp"
#include "kernels/kernel_set.hpp"

using sm4j_test::check;

namespace {

float from_bits(uint32_t u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

// One float ulp at the magnitude of ref (the subnormal spacing below the normal range).
double ulp_f32(double ref) {
    const double mag = std::fabs(ref);
    if (mag < double(std::numeric_limits<float>::min())) return std::ldexp(1.0, -149);
    return std::ldexp(1.0, std::ilogb(mag) - 23);
}

struct Result {
    double max = 0;         // the largest error in ulp
    float at = 0;           // where
    int64_t count = 0;      // values checked
    int64_t increases = 0;  // places where exp(d) > exp(d') for d < d' (adjacent floats)
    float increase_at = 0;
    uint64_t hash = 0;      // of the results' bits (see the top)
};

constexpr uint64_t kFnvPrime = 1099511628211ull;

uint64_t fnv_word(uint64_t h, uint32_t word) {
    for (int byte = 0; byte < 4; ++byte) h = (h ^ ((word >> (8 * byte)) & 0xFFu)) * kFnvPrime;
    return h;
}

constexpr float kLast = -104.0f;  // below this every set's exp is 0 (ExpConstants<float>::kMin)

// The set's exp over every float from -0 down to kLast (bit patterns 0x80000000 up to
// bits(kLast)), in chunks; each chunk also starts one value early, so that monotonicity is
// checked across chunk boundaries.
Result sweep(const sm4j::RowKernels<float> &k, int64_t every) {
    uint32_t hi;
    std::memcpy(&hi, &kLast, 4);
    const uint32_t lo = 0x80000000u;
    constexpr int64_t kChunk = int64_t(1) << 16;
    const int64_t total = (int64_t(hi) - int64_t(lo)) / every + 1;
    const int64_t chunks = (total + kChunk - 1) / kChunk;
    Result all;
#pragma omp parallel
    {
        Result mine;
        std::vector<float> x(kChunk + 1), y(kChunk + 1);
#pragma omp for schedule(dynamic, 16)
        for (int64_t c = 0; c < chunks; ++c) {
            const int64_t begin = c * kChunk, end = std::min(total, begin + kChunk);
            // x[0] is the value before the chunk (d one step nearer 0), or -0 again for the first.
            const int64_t first = begin == 0 ? 0 : begin - 1;
            const int64_t len = end - first;
            for (int64_t i = 0; i < len; ++i) x[size_t(i)] = from_bits(uint32_t(int64_t(lo) + (first + i) * every));
            k.exp(x.data(), y.data(), len);
            uint64_t h = fnv_word(fnv_word(1469598103934665603ull, uint32_t(c)), uint32_t(c >> 32));
            for (int64_t i = begin == 0 ? 0 : 1; i < len; ++i) {
                const float d = x[size_t(i)];
                uint32_t bits;
                std::memcpy(&bits, &y[size_t(i)], 4);
                h = fnv_word(h, bits);
                const double ref = std::exp(double(d));
                const double e = std::fabs(double(y[size_t(i)]) - ref) / ulp_f32(ref);
                if (e > mine.max) {
                    mine.max = e;
                    mine.at = d;
                }
                // Adjacent floats: x[i] < x[i - 1], so y[i] must not exceed y[i - 1].
                if (i > 0 && y[size_t(i)] > y[size_t(i - 1)]) {
                    if (mine.increases == 0) mine.increase_at = d;
                    ++mine.increases;
                }
                ++mine.count;
            }
            mine.hash ^= h;
        }
#pragma omp critical
        {
            if (mine.max > all.max) {
                all.max = mine.max;
                all.at = mine.at;
            }
            all.count += mine.count;
            all.hash ^= mine.hash;
            if (mine.increases > 0 && all.increases == 0) all.increase_at = mine.increase_at;
            all.increases += mine.increases;
        }
    }
    return all;
}

void test_set(const char *set, int64_t every) {
    const sm4j::KernelSet *ks = sm4j::find_kernel_set(set);
    if (ks == nullptr) {
        std::printf("kernel set %s: not available on this CPU, skipped\n", set);
        return;
    }
    const sm4j::RowKernels<float> &k = ks->f32;
    const double bound = std::strcmp(set, "generic") == 0 ? 1.0 : 1.01;
    const Result r = sweep(k, every);
    std::printf("exp %-8s f32, every %s float in [%g, 0] (%lld values): max %.4f ulp at %.9g; results hash %016llx\n",
                set, every == 1 ? "" : (std::to_string(every) + "th").c_str(), double(kLast), (long long)r.count,
                r.max, double(r.at), (unsigned long long)r.hash);
    std::fflush(stdout);
    if (r.increases > 0)
        std::printf("    not monotonic at %lld place(s), the first at d = %.9g\n", (long long)r.increases,
                    double(r.increase_at));
    const std::string what = std::string(set) + " f32 exp";
    uint32_t last_bits;
    std::memcpy(&last_bits, &kLast, 4);
    check(r.count == (int64_t(last_bits) - int64_t(0x80000000u)) / every + 1, what + ": every value checked");
    check(r.max <= bound, what + " within " + std::to_string(bound) + " ulp (max " + std::to_string(r.max) + " at " +
                              std::to_string(r.at) + ")");
    float z[2] = {0.0f, -0.0f}, one[2];
    k.exp(z, one, 2);
    check(one[0] == 1.0f && one[1] == 1.0f, what + ": exp(+-0) == 1 exactly");
}

}  // namespace

// [--every K] [SET...]: every K-th float (default 1), of the named sets (default: all of them).
int main(int argc, char **argv) {
    int64_t every = 1;
    int first = 1;
    if (argc > 2 && std::strcmp(argv[1], "--every") == 0) {
        every = std::max(1L, std::atol(argv[2]));
        first = 3;
    }
    std::vector<const char *> sets(argv + first, argv + argc);
    if (sets.empty()) sets = {"generic", "avx2", "avx512", "neon"};
    for (const char *set : sets) test_set(set, every);
    return sm4j_test::summary();
}
