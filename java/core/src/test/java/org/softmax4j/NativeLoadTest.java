package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

/**
 * The build that made the native library must be able to load it: the Maven build sets
 * {@code softmax4j.test.requireNative}, so a broken native library fails here instead of
 * silently skipping every native test.
 */
class NativeLoadTest {

    @Test
    void nativeLoadsWhereItWasBuilt() {
        assumeTrue(Boolean.getBoolean("softmax4j.test.requireNative"), "native not required here");
        assertTrue(Softmax.nativeUnavailableCause().isEmpty(),
                () -> "native failed to load: " + Softmax.nativeUnavailableCause().get());
        assertEquals(Softmax.Backend.NATIVE, Softmax.get().backend());
        assertEquals(Softmax.Backend.NATIVE, Softmax.nativeBackend().backend());
    }

    /**
     * The linux-arm64 run under QEMU sets {@code softmax4j.test.platform}: the tests must really
     * run on that platform, with the natives built for it and its kernel set.
     */
    @Test
    void runsOnThePlatformItWasAskedFor() {
        String platform = System.getProperty("softmax4j.test.platform");
        assumeTrue(platform != null, "no platform requested");
        assertEquals(platform, Loader.getPlatform());
        assertTrue(Softmax.nativeUnavailableCause().isEmpty(),
                () -> "native failed to load: " + Softmax.nativeUnavailableCause().get());
        String kernels = Softmax.nativeInfo().kernels();
        if (platform.equals("linux-arm64")) assertEquals("neon", kernels);
        assertTrue(Loader.getLoadedLibraries().values().stream()
                .anyMatch(path -> path.contains(platform) && path.contains("jnisoftmax4j")),
                () -> "the library loaded from " + Loader.getLoadedLibraries());
    }

    @Test
    void nativeReportsItself() {
        assumeTrue(Softmax.nativeUnavailableCause().isEmpty());
        NativeInfo info = Softmax.nativeInfo();
        assertTrue(info.version().matches("\\d+\\.\\d+\\.\\d+"), info.version());
        assertTrue(info.threads() >= 1);
        assertTrue(info.blasThreads() >= 1);
        assertTrue(info.blasConfig().startsWith("OpenBLAS"), info.blasConfig());
        assertFalse(info.kernels().isEmpty());
    }

    @Test
    void threadCountIsSettableAndRestorable() {
        assumeTrue(Softmax.nativeUnavailableCause().isEmpty());
        Softmax s = Softmax.nativeBackend();
        int before = s.threads();
        try {
            s.setThreads(1);
            assertEquals(1, s.threads());
            s.setThreads(3);
            assertEquals(3, s.threads());
        } finally {
            s.setThreads(0);
        }
        assertEquals(before, s.threads());
    }

    @Test
    void javaBackendIsAlwaysThere() {
        assertEquals(Softmax.Backend.JAVA, Softmax.java().backend());
        assertEquals(1, Softmax.java().threads());
    }
}
