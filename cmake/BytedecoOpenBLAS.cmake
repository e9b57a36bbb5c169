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

add_library(sm4j::openblas SHARED IMPORTED)
set_target_properties(sm4j::openblas PROPERTIES
    IMPORTED_LOCATION "${OPENBLAS_LINK_DIR}/libopenblas.so"
    IMPORTED_SONAME "libopenblas.so.0"
    INTERFACE_INCLUDE_DIRECTORIES "${OPENBLAS_ROOT}/include")
