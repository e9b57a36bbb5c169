#!/usr/bin/env bash
# The native tests for linux-arm64 on an x86-64 machine: cross-compiles the core and its tests with
# cmake/aarch64-linux-gnu.cmake and runs ctest, which starts every test under qemu-aarch64-static
# (the toolchain file's CMAKE_CROSSCOMPILING_EMULATOR). Every kernel set AArch64 has (generic, neon)
# is tested, as on x86-64. See native/README.md.
#
#   native/cross-test.sh                  build and run all of ctest (~10 min under QEMU)
#   native/cross-test.sh -R linear        ctest's own arguments pass through
#   native/cross-test.sh --exp-exhaustive [SET...]
#                                         the exp of every float in [-104, 0] (default: generic and
#                                         neon), not ctest (ctest takes every 64th); neon alone
#                                         ~15 min
#
# Needs (Debian): g++-aarch64-linux-gnu qemu-user-static, and after `dpkg --add-architecture
# arm64`: libgomp1:arm64 (the tests' runtime; libc6 and libstdc++6 come with it). .ci/run installs
# them. The arm64 OpenBLAS preset is unpacked by Maven on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in aarch64-linux-gnu-g++ qemu-aarch64-static cmake mvn; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "cross-test: $tool not found (apt-get install g++-aarch64-linux-gnu qemu-user-static)" >&2
        exit 2
    }
done
[[ -e /lib/aarch64-linux-gnu/libgomp.so.1 ]] || {
    echo "cross-test: no arm64 libgomp (dpkg --add-architecture arm64; apt-get update; apt-get install libgomp1:arm64)" >&2
    exit 2
}

openblas_root="$PWD/java/core/target/openblas/org/bytedeco/openblas/linux-arm64"
if [[ ! -e $openblas_root/libopenblas.so.0 ]]; then
    mvn -B -ntp -q generate-sources -pl java/core -Plinux-arm64
fi

build=target/native-tests-arm64
cmake -S native -B "$build" --toolchain "$PWD/cmake/aarch64-linux-gnu.cmake" \
    -DOPENBLAS_ROOT="$openblas_root" -DSOFTMAX4J_BUILD_TESTS=ON > /dev/null
cmake --build "$build" --parallel > /dev/null

if [[ ${1:-} == --exp-exhaustive ]]; then
    shift
    exec qemu-aarch64-static "$build/tests/softmax4j_exp_exhaustive" "$@"
fi
cd "$build" && exec ctest --output-on-failure "$@"
