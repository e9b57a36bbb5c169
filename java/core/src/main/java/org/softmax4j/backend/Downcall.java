package org.softmax4j.backend;

/**
 * The transport of short row calls through the FFM API, which needs JDK 22: this version, for
 * JDK 17 to 21, has none, and every call goes through JNI. The jar's {@code META-INF/versions/22}
 * holds the version that has one (src/main/java22); both have these members.
 */
final class Downcall {
    private Downcall() {}

    /**
     * Readies the transport for the library at {@code library}; returns what it is, for NativeInfo.
     *
     * @throws IllegalArgumentException if {@code -Dsoftmax4j.transport} is neither ffm nor jni
     */
    static String open(String library) {
        return Kernels.ffmWanted() ? "jni (the FFM transport needs JDK 22 or later)"
                : "jni (-D" + Kernels.TRANSPORT_PROPERTY + "=jni)";
    }

    /** True if this call goes through {@link #run2}: never here. */
    static boolean take(int code, int rows, int n) {
        return false;
    }

    /** Never called here ({@link #take} is false). */
    static void run2(int code, int rows, int n, int k, double a, double param, long layout, Object h0, Object h1,
            long w0, long l0, long w4, long l4) {
        throw new AssertionError("no FFM transport below JDK 22");
    }
}
