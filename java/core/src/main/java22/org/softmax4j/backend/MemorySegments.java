package org.softmax4j.backend;

import java.lang.foreign.MemorySegment;

/**
 * {@code java.lang.foreign.MemorySegment}: the JDK 22 version of the class, loaded from
 * {@code META-INF/versions/22/} of the multi-release jar on JDK 22 and later. Same public members
 * as the Java 17 version in {@code src/main/java}.
 */
public final class MemorySegments {
    private MemorySegments() {}

    /** Whether this JVM runs the JDK 22 version of this class: it does. */
    public static boolean supported() {
        return true;
    }

    /** Whether {@code o} is a native (off-heap) {@code MemorySegment}. */
    public static boolean isNativeSegment(Object o) {
        return o instanceof MemorySegment s && s.isNative();
    }
}
