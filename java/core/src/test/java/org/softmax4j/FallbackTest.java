package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the native backend unavailable, {@link Softmax#get()} falls back to pure Java, keeps the
 * cause, logs it, and {@link Softmax#nativeBackend()} throws with it. Run in a fresh JVM, since
 * the choice is made once per process.
 */
class FallbackTest {

    /** Run in the forked JVM: prints what the facade reports. */
    public static void main(String[] args) {
        System.out.println("backend=" + Softmax.get().backend());
        System.out.println("cause=" + Softmax.nativeUnavailableCause().map(Throwable::getMessage).orElse("none"));
        try {
            Softmax.nativeBackend();
            System.out.println("nativeBackend=returned");
        } catch (NativeUnavailableException e) {
            System.out.println("nativeBackend=threw " + e.getMessage());
        }
        float[] y = new float[2];
        Softmax.get().softmax(1, 2, new float[] {0, (float) Math.log(3)}, y);
        System.out.println("softmax=" + y[0] + "," + y[1]);
    }

    @Test
    void disabledNativeFallsBackToJavaWithTheCause() throws Exception {
        ForkedJvm.Result r = ForkedJvm.run(FallbackTest.class, null, "-D" + Softmax.NATIVE_PROPERTY + "=false");
        String out = r.out();
        String err = r.err();
        assertEquals(0, r.code(), err);
        assertTrue(out.contains("backend=JAVA"), out);
        assertTrue(out.contains("cause=disabled by -Dsoftmax4j.native=false"), out);
        assertTrue(out.contains("nativeBackend=threw softmax4j native backend unavailable: "
                + "IllegalStateException: disabled by -Dsoftmax4j.native=false"), out);
        assertTrue(out.contains("softmax=0.25,0.75"), out);
        assertTrue(err.contains("native backend unavailable, using pure Java: IllegalStateException: disabled"), err);
        // One record (JUL's default format puts its source on a line of its own).
        assertEquals(1, err.lines().filter(l -> l.contains("native backend unavailable")).count(), err);
    }

    /**
     * A platform softmax4j has no natives for: no load is tried, and the cause and the one
     * warning say so, not some dependency's link error.
     */
    @Test
    void platformWithoutNativesFallsBackToJavaAndSaysSo() throws Exception {
        ForkedJvm.Result r = ForkedJvm.run(FallbackTest.class, null, "-Dorg.bytedeco.javacpp.platform=macosx-arm64");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("backend=JAVA"), r.out());
        assertTrue(r.out().contains("cause=softmax4j has no native library for macosx-arm64 "
                + "(it has natives for linux-x86_64, linux-arm64)"), r.out());
        assertTrue(r.out().contains("nativeBackend=threw softmax4j native backend unavailable: "
                + "UnsupportedOperationException: softmax4j has no native library for macosx-arm64"), r.out());
        assertTrue(r.out().contains("softmax=0.25,0.75"), r.out());
        assertEquals(1, r.err().lines()
                .filter(l -> l.contains("softmax4j has no native library for macosx-arm64; using the pure-Java backend"))
                .count(), r.err());
        assertFalse(r.err().contains("openblas"), "no dependency's error: " + r.err());
    }

    /**
     * The classes without this platform's native library beside them, as when its classifier jar
     * is left out: the cause says which library is missing and which jar carries it.
     */
    @Test
    void missingLibraryFallsBackToJava(@TempDir Path tmp) throws Exception {
        Path classes = Path.of(Softmax.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path copy = tmp.resolve("classes");
        String platform = Loader.getPlatform();
        try (var files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.toString().contains(platform) || f.toString().endsWith(".so")) continue;
                Path to = copy.resolve(classes.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        List<String> cp = new ArrayList<>();
        for (String e : ForkedJvm.classPathEntries()) cp.add(e.equals(classes.toString()) ? copy.toString() : e);
        ForkedJvm.Result r = ForkedJvm.run(FallbackTest.class, String.join(File.pathSeparator, cp),
                "-Dorg.bytedeco.javacpp.cachedir=" + tmp.resolve("cache"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("backend=JAVA"), r.out());
        assertTrue(r.out().contains("cause=softmax4j's native library for " + platform + " is not on the class path "
                + "(org/softmax4j/bridge/" + platform + "/libjnisoftmax4j.so: add the jar org.softmax4j:softmax4j "
                + "with classifier " + platform), "the cause names the missing library and its jar: " + r.out());
    }
}
