package org.softmax4j.backend;

/**
 * {@code java.lang.foreign.MemorySegment}, which the JDK has from release 22 on. This is the
 * Java 17 version of the class, used below JDK 22. The jar also carries a JDK 22 version (its
 * source is {@code src/main/java22}, compiled at {@code --release 22} into
 * {@code META-INF/versions/22/}), which the JVM loads instead from JDK 22 on: both versions must
 * have the same public members. Placeholder for the MemorySegment storage adapter; see
 * {@code docs/building.md}.
 */
public final class MemorySegments {
    private MemorySegments() {}

    /** Whether this JVM runs the JDK 22 version of this class. */
    public static boolean supported() {
        return false;
    }

    /** Whether {@code o} is a native (off-heap) {@code MemorySegment}: never, below JDK 22. */
    public static boolean isNativeSegment(Object o) {
        return false;
    }
}
