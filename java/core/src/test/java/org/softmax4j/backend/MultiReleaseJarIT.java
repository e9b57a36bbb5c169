package org.softmax4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.JarURLConnection;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * The multi-release jar as the JVM sees it (run by Failsafe, with the packaged jar on the class
 * path): from JDK 22 on, {@link MemorySegments} comes from {@code META-INF/versions/22/} and
 * works on real segments; below 22 the Java 17 class is loaded and the versioned one ignored.
 */
class MultiReleaseJarIT {
    private static final int FEATURE = Runtime.version().feature();

    private static URL classFile() {
        URL url = MemorySegments.class.getResource("MemorySegments.class");
        assertNotNull(url);
        assertEquals("jar", url.getProtocol(), () -> "not loaded from the packaged jar: " + url);
        return url;
    }

    @Test
    void jarIsMultiRelease() throws Exception {
        try (JarFile jar = ((JarURLConnection) classFile().openConnection()).getJarFile()) {
            assertEquals("true", jar.getManifest().getMainAttributes().getValue("Multi-Release"));
            boolean versioned = jar.getEntry(
                    "META-INF/versions/22/org/softmax4j/backend/MemorySegments.class") != null;
            // Present unless the build had no JDK 22+ (then it must run below 22 and skip it).
            assertEquals(FEATURE >= 22 || !Boolean.getBoolean("softmax4j.test.java22Skipped"),
                    versioned, "META-INF/versions/22 in the jar");
        }
    }

    @Test
    void versionedClassIsPickedOnJdk22AndIgnoredBelow() {
        String url = classFile().toString();
        if (FEATURE >= 22) {
            assertTrue(url.endsWith("!/META-INF/versions/22/org/softmax4j/backend/MemorySegments.class"), url);
            assertTrue(MemorySegments.supported());
        } else {
            assertTrue(url.endsWith("!/org/softmax4j/backend/MemorySegments.class"), url);
            assertFalse(MemorySegments.supported());
        }
    }

    @Test
    void versionedClassUsesTheForeignMemoryApi() throws Exception {
        // Not a segment on any JDK.
        assertFalse(MemorySegments.isNativeSegment(ByteBuffer.allocateDirect(16)));
        assertFalse(MemorySegments.isNativeSegment(null));
        if (FEATURE < 22) return;
        // The tests compile at release 17: reach the JDK 22 API reflectively.
        Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
        Object heap = segment.getMethod("ofArray", float[].class).invoke(null, (Object) new float[4]);
        Object direct = segment.getMethod("ofBuffer", java.nio.Buffer.class)
                .invoke(null, ByteBuffer.allocateDirect(16));
        assertFalse(MemorySegments.isNativeSegment(heap));
        assertTrue(MemorySegments.isNativeSegment(direct));
    }
}
