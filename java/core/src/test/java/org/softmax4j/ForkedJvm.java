package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the tests in a fresh JVM, for behaviour fixed once per process. */
final class ForkedJvm {
    private ForkedJvm() {}

    record Result(int code, String out, String err) {}

    /**
     * Runs {@code main} with the given JVM options on {@code classPath} (the test's own class
     * path when null), with this JVM's {@code java}, or the launcher named by the system property
     * {@code softmax4j.test.java} (the linux-arm64 tests under QEMU, which cannot exec an arm64
     * program directly).
     */
    static Result run(Class<?> main, String classPath, String... jvmOptions) throws Exception {
        return run(null, main, classPath, jvmOptions);
    }

    /** As {@link #run(Class, String, String...)}, with exactly the environment {@code env} (this one's when null). */
    static Result run(Map<String, String> env, Class<?> main, String classPath, String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("softmax4j.test.java",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("-cp");
        cmd.add(classPath != null ? classPath : System.getProperty("java.class.path"));
        cmd.addAll(List.of(jvmOptions));
        cmd.add(main.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        // Read both streams fully; the child writes little, so sequential reads cannot block.
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "forked JVM timed out");
        return new Result(p.exitValue(), out, err);
    }

    /** The test class path as a list of entries (expanding surefire's manifest-only jar). */
    static List<String> classPathEntries() throws Exception {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.endsWith(".jar") && e.contains("surefire")) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(e)) {
                    String cp = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String u : cp.split(" ")) {
                            if (!u.isBlank()) entries.add(Path.of(new java.net.URI(u)).toString());
                        }
                        continue;
                    }
                }
            }
            entries.add(e);
        }
        return entries;
    }
}
