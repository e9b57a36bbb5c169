// The assertion of the native tests: count every check, print the first 40 failures, and let
// main report the totals and set the exit status (no test framework, so nothing to install).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace sm4j_test {

inline int64_t g_checks = 0;
inline int64_t g_failures = 0;

inline void check(bool ok, const std::string &what) {
    ++g_checks;
    if (ok) return;
    if (++g_failures <= 40) std::fprintf(stderr, "FAIL: %s\n", what.c_str());
}

// Prints the totals; the process's exit status.
inline int summary() {
    std::printf("%lld checks: %lld passed, %lld failed\n", (long long)g_checks, (long long)(g_checks - g_failures),
                (long long)g_failures);
    return g_failures == 0 ? 0 : 1;
}

}  // namespace sm4j_test
