package org.softmax4j;

/**
 * What the native core reports about itself and this machine.
 *
 * @param version the core's version
 * @param kernels the kernel set chosen for this CPU at load time, e.g. {@code avx512}
 * @param cpuFeatures the CPU features the core looks for that this CPU has
 * @param threads OpenMP threads used for large batches
 * @param openmpVersion the OpenMP specification date the core was built with, e.g. 201511
 * @param blasThreads threads of OpenBLAS's own pool
 * @param blasConfig OpenBLAS's build configuration
 */
public record NativeInfo(String version, String kernels, String cpuFeatures, int threads,
        int openmpVersion, int blasThreads, String blasConfig) {}
