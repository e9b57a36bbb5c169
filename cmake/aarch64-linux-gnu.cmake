# Toolchain file: linux-arm64 (AArch64) from an x86-64 Linux machine, with Debian's cross compiler
# (g++-aarch64-linux-gnu). Used by the Maven build for the linux-arm64 natives and by
# native/cross-test.sh; see native/README.md.
#
#   cmake -S native -B build-arm64 --toolchain cmake/aarch64-linux-gnu.cmake -DOPENBLAS_ROOT=...
#
# Executables (the native tests) run under qemu-aarch64-static when it is installed: ctest
# prefixes them with CMAKE_CROSSCOMPILING_EMULATOR. QEMU is run without -L: the arm64 runtime
# (libc6, libstdc++6, libgomp1) comes from Debian's multiarch packages under /lib/aarch64-linux-gnu,
# where the loader finds it; with -L pointing at the cross toolchain's sysroot, threaded programs
# hang.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(SOFTMAX4J_CROSS_PREFIX "aarch64-linux-gnu-" CACHE STRING "Prefix of the cross tools")
set(CMAKE_C_COMPILER "${SOFTMAX4J_CROSS_PREFIX}gcc")
set(CMAKE_CXX_COMPILER "${SOFTMAX4J_CROSS_PREFIX}g++")

find_program(SOFTMAX4J_QEMU NAMES qemu-aarch64-static qemu-aarch64)
if(SOFTMAX4J_QEMU)
    set(CMAKE_CROSSCOMPILING_EMULATOR "${SOFTMAX4J_QEMU}")
endif()

# Headers and libraries of the target only; the build's own tools from the host.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
