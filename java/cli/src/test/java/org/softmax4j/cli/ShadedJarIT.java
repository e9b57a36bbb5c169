package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * The shaded jar that {@code bin/softmax4j} runs, run the way it does ({@code java -jar}), on the
 * JDK that runs the build: its manifest grants native access (no JDK 22+ warning) and makes the
 * library's JDK 22 classes visible.
 */
class ShadedJarIT {
    private static final Path JAR = Path.of(System.getProperty("softmax4j.it.cliJar"));

    record Run(int code, String out, String err) {}

    private static Run java(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out");
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void manifestGrantsNativeAccessAndIsMultiRelease() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Attributes a = jar.getManifest().getMainAttributes();
            assertEquals("ALL-UNNAMED", a.getValue("Enable-Native-Access"));
            assertEquals("true", a.getValue("Multi-Release"));
            assertEquals(null, jar.getEntry("module-info.class"), "a fat jar is not the library's module");
        }
    }

    @Test
    void infoLoadsTheNativeBackendWithoutWarnings() throws Exception {
        Run r = java("-jar", JAR.toString(), "info");
        assertEquals(0, r.code, () -> r.out + r.err);
        assertTrue(r.out.matches("(?s).*backend in use:\\s+native\\R.*"), r.out);
        assertEquals("", r.err, "stderr (JDK 22+ warns here unless the manifest grants native access)");
    }

    @Test
    void jdk22ClassesAreUsedFromTheShadedJar() throws Exception {
        Path probe = Path.of(System.getProperty("softmax4j.it.work"), "Probe.java");
        Files.createDirectories(probe.getParent());
        Files.writeString(probe, "public class Probe { public static void main(String[] a) {"
                + " boolean found; try { Class.forName(\"org.softmax4j.Segments\"); found = true; }"
                + " catch (ClassNotFoundException e) { found = false; } System.out.print(found); } }\n");
        Run r = java("-cp", JAR.toString(), probe.toString());
        assertEquals(0, r.code, () -> r.out + r.err);
        assertEquals(String.valueOf(Runtime.version().feature() >= 22), r.out);
    }
}
