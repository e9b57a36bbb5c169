# OpenBLAS from the org.bytedeco:openblas preset jar, unpacked by Maven into OPENBLAS_ROOT
# (the folder holding include/cblas.h and libopenblas.so.0).
#
# Defines the imported target sm4j::openblas. The jar ships only the versioned libopenblas.so.0,
# while linkers look for libopenblas.so, so a link named that way is made in the build tree
# (OPENBLAS_LINK_DIR) for every later link step, JavaCPP's included.

set(OPENBLAS_ROOT "" CACHE PATH "Unpacked org.bytedeco openblas preset for this platform")

if(NOT EXISTS "${OPENBLAS_ROOT}/include/cblas.h" OR NOT EXISTS "${OPENBLAS_ROOT}/libopenblas.so.0")
    message(FATAL_ERROR
        "OpenBLAS not found: OPENBLAS_ROOT='${OPENBLAS_ROOT}' must hold include/cblas.h and "
        "libopenblas.so.0 (Maven unpacks org.bytedeco:openblas:linux-x86_64 there).")
endif()

set(OPENBLAS_LINK_DIR "${CMAKE_BINARY_DIR}/openblas-link" CACHE INTERNAL "")
file(MAKE_DIRECTORY "${OPENBLAS_LINK_DIR}")
file(CREATE_LINK "${OPENBLAS_ROOT}/libopenblas.so.0" "${OPENBLAS_LINK_DIR}/libopenblas.so"
     SYMBOLIC)

# openblas_config.h declares its half-precision type as _Float16 for every GCC >= 12, but GCC
# has _Float16 in C++ only from 12 on x86-64 and from 13 on AArch64. Where the compiler lacks it,
# the headers are used from a copy in the build tree that declares it as uint16_t (the header's
# own choice for other compilers); the core never calls the half-precision routines.
include(CheckCXXSourceCompiles)
check_cxx_source_compiles("_Float16 h; int main() { return 0; }" SOFTMAX4J_CXX_HAS_FLOAT16)
set(OPENBLAS_INCLUDE_DIR "${OPENBLAS_ROOT}/include")
if(NOT SOFTMAX4J_CXX_HAS_FLOAT16)
    set(OPENBLAS_INCLUDE_DIR "${CMAKE_BINARY_DIR}/openblas-include")
    file(COPY "${OPENBLAS_ROOT}/include/" DESTINATION "${OPENBLAS_INCLUDE_DIR}")
    file(READ "${OPENBLAS_INCLUDE_DIR}/openblas_config.h" config)
    string(REPLACE "typedef _Float16 hfloat16;" "typedef uint16_t hfloat16;" config "${config}")
    file(WRITE "${OPENBLAS_INCLUDE_DIR}/openblas_config.h" "${config}")
endif()

add_library(sm4j::openblas SHARED IMPORTED)
set_target_properties(sm4j::openblas PROPERTIES
    IMPORTED_LOCATION "${OPENBLAS_LINK_DIR}/libopenblas.so"
    IMPORTED_SONAME "libopenblas.so.0"
    INTERFACE_INCLUDE_DIRECTORIES "${OPENBLAS_INCLUDE_DIR}")
