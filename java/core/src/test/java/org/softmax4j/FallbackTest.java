package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

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
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-D" + Softmax.NATIVE_PROPERTY + "=false"));
        cmd.add(FallbackTest.class.getName());
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertTrue(out.contains("backend=JAVA"), out);
        assertTrue(out.contains("cause=disabled by -Dsoftmax4j.native=false"), out);
        assertTrue(out.contains("nativeBackend=threw softmax4j native backend unavailable: "
                + "IllegalStateException: disabled by -Dsoftmax4j.native=false"), out);
        assertTrue(out.contains("softmax=0.25,0.75"), out);
        assertTrue(err.contains("native backend unavailable, using pure Java: IllegalStateException: disabled"), err);
        // One record (JUL's default format puts its source on a line of its own).
        assertEquals(1, err.lines().filter(l -> l.contains("native backend unavailable")).count(), err);
    }
}
