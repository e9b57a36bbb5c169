package org.softmax4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.JarURLConnection;
import java.net.URL;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.softmax4j.Batch;

/**
 * The multi-release jar as the JVM sees it (run by Failsafe, with the packaged jar on the class
 * path): from JDK 22 on, {@code org.softmax4j.Segments} and its adapter are loaded from
 * {@code META-INF/versions/22/}; below 22 they do not exist. (What they do is {@code SegmentIT}'s.)
 */
class MultiReleaseJarIT {
    private static final int FEATURE = Runtime.version().feature();
    private static final String SEGMENTS = "org/softmax4j/Segments.class";

    private static URL jarEntry(Class<?> c) {
        URL url = c.getResource(c.getSimpleName() + ".class");
        assertNotNull(url);
        assertEquals("jar", url.getProtocol(), () -> "not loaded from the packaged jar: " + url);
        return url;
    }

    @Test
    void jarIsMultiRelease() throws Exception {
        try (JarFile jar = ((JarURLConnection) jarEntry(Batch.class).openConnection()).getJarFile()) {
            assertEquals("true", jar.getManifest().getMainAttributes().getValue("Multi-Release"));
            boolean versioned = jar.getEntry("META-INF/versions/22/" + SEGMENTS) != null
                    && jar.getEntry("META-INF/versions/22/org/softmax4j/storage/SegmentStorage.class") != null;
            // Present unless the build had no JDK 22+ (then it must run below 22 and skip it).
            assertEquals(FEATURE >= 22 || !Boolean.getBoolean("softmax4j.test.java22Skipped"),
                    versioned, "META-INF/versions/22 in the jar");
            // Only in the versioned part: nothing below 22 can name it.
            assertEquals(null, jar.getEntry(SEGMENTS));
        }
    }

    @Test
    void versionedClassesAreLoadedOnJdk22AndAbsentBelow() throws Exception {
        if (FEATURE >= 22) {
            String url = jarEntry(Class.forName("org.softmax4j.Segments")).toString();
            assertTrue(url.endsWith("!/META-INF/versions/22/" + SEGMENTS), url);
        } else {
            assertThrows(ClassNotFoundException.class, () -> Class.forName("org.softmax4j.Segments"));
        }
    }
}
