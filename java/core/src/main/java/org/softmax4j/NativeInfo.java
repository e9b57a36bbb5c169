package org.softmax4j;

/**
 * What the native core reports about itself and this machine.
 *
 * @param version the core's version
 * @param kernels the kernel set chosen for this CPU at load time, e.g. {@code avx512}
 * @param cpuFeatures the CPU features the core looks for that this CPU has
 * @param threads OpenMP threads a large batch may use: the pinned count, or the most the default
 *     policy grants
 * @param openmpVersion the OpenMP specification date the core was built with, e.g. 201511
 * @param blasThreads threads of OpenBLAS's own pool
 * @param blasConfig OpenBLAS's build configuration
 * @param threadPolicy the thread policy in force and how idle OpenMP threads wait, e.g.
 *     {@code adaptive: up to 2 threads, ...; OpenMP wait: GOMP_SPINCOUNT=11000}
 * @param transport how calls reach the core: {@code jni ...}, or on JDK 22 and later by default
 *     {@code ffm ...} (short softmax, log-softmax and log-sum-exp calls through a critical FFM
 *     downcall, the rest through JNI; {@code -Dsoftmax4j.transport=jni} keeps every call on JNI),
 *     with the details after the first word
 */
public record NativeInfo(String version, String kernels, String cpuFeatures, int threads,
        int openmpVersion, int blasThreads, String blasConfig, String threadPolicy, String transport) {}
