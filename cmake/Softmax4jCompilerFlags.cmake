# Compiler settings shared by every target of the core.
#
# The library is built for the baseline of its architecture (x86-64, or ARMv8-A for AArch64) so
# that one jar runs on any CPU of it; faster instruction sets are reached by run-time dispatch
# inside the kernels, never by -march here.

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
    set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()

set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
# A static library that ends up inside a shared one must be position independent.
set(CMAKE_POSITION_INDEPENDENT_CODE ON)

option(SOFTMAX4J_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

function(softmax4j_set_compile_options target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion
        # Keep IEEE semantics: NaN and infinity propagation is part of the contract.
        -fno-fast-math -fno-finite-math-only
        $<$<CONFIG:Release>:-O3>)
    if(SOFTMAX4J_SANITIZE)
        target_compile_options(${target} PUBLIC -fsanitize=address,undefined -fno-omit-frame-pointer)
        target_link_options(${target} PUBLIC -fsanitize=address,undefined)
    endif()
endfunction()
