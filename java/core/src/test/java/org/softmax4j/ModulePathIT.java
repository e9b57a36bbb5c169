package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged jars as modules: a consumer module ({@code src/it/module-consumer}, which
 * {@code requires org.softmax4j} and nothing else) compiles against the main jar and, run from
 * the module path with the host's platform jar beside it, loads the native backend and computes
 * a softmax (the platform module joins the graph by service binding). Run by Failsafe, which
 * passes the main jar, its runtime dependencies, and the platform jar with the presets' natives
 * of the host as {@code softmax4j.it.jar}, {@code softmax4j.it.dependencies} and
 * {@code softmax4j.it.natives}.
 */
class ModulePathIT {
    /** The exported packages: the public API. Everything else in the jar is internal. */
    private static final Set<String> EXPORTED =
            Set.of("org.softmax4j", "org.softmax4j.io", "org.softmax4j.regression");
    /** What users pass on JDK 22+ (README), here on every JDK: 17 accepts it too. */
    private static final String MODULE_ACCESS =
            "--enable-native-access=org.softmax4j,org.bytedeco.javacpp";
    private static final String CLASS_PATH_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** The transport of short row calls: FFM where the jar's META-INF/versions/22 runs. */
    private static final String TRANSPORT = Runtime.version().feature() >= 22
            && !Boolean.getBoolean("softmax4j.test.java22Skipped") ? "ffm" : "jni";

    /** The platform modules, to which alone the service type's package is exported. */
    private static final Set<String> PLATFORM_MODULES =
            Set.of("org.softmax4j.linux.x86_64", "org.softmax4j.linux.arm64");

    private static Path jar;
    /** The main jar and its runtime dependencies: no natives. */
    private static String withoutNatives;
    private static String modulePath;
    private static Path work;
    private static Path consumerClasses;

    @BeforeAll
    static void compileConsumer() throws IOException {
        jar = Path.of(System.getProperty("softmax4j.it.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " is not built");
        withoutNatives = jar + File.pathSeparator + System.getProperty("softmax4j.it.dependencies");
        modulePath = withoutNatives + File.pathSeparator + System.getProperty("softmax4j.it.natives");
        work = Path.of(System.getProperty("softmax4j.it.work", "target/it"), "module-path");
        consumerClasses = work.resolve("consumer");
        Path sources = Path.of(System.getProperty("softmax4j.it.sources", "src/it/module-consumer"));
        List<String> files;
        try (Stream<Path> s = Files.walk(sources)) {
            files = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString)
                    .collect(Collectors.toList());
        }
        Compilation c = javac(consumerClasses, files);
        assertEquals(0, c.code, () -> "the consumer does not compile:\n" + c.log);
    }

    record Compilation(int code, String log) {}

    private static Compilation javac(Path out, List<String> files) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "17", "-Xlint:all,-path",
                "--module-path", modulePath, "-d", out.toString()));
        args.addAll(files);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int code = javac.run(null, log, log, args.toArray(String[]::new));
        return new Compilation(code, log.toString(StandardCharsets.UTF_8));
    }

    record Run(int code, String out, String err) {}

    private static Run java(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // JavaCPP extracts the jar's natives here (Failsafe's setting), not into ~/.javacpp.
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the consumer timed out");
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void jarIsTheModuleOrgSoftmax4jExportingOnlyTheApi() {
        ModuleDescriptor d = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
        assertEquals("org.softmax4j", d.name());
        assertFalse(d.isAutomatic(), "a module-info, not an automatic module");
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports e : d.exports()) {
            if (e.isQualified()) {
                assertEquals("org.softmax4j.natives", e.source(), e.toString());
                assertEquals(PLATFORM_MODULES, e.targets(), e.toString());
            } else {
                exported.add(e.source());
            }
        }
        assertEquals(new TreeSet<>(EXPORTED), exported);
        assertEquals(Set.of("org.softmax4j.natives.PlatformNatives"), d.uses());
        assertTrue(d.packages().containsAll(Set.of("org.softmax4j.backend", "org.softmax4j.bridge")),
                d.packages().toString());
    }

    /** softmax4j-<v>-<platform>.jar beside the main jar. */
    static Path platformJar(Path mainJar, String platform) {
        String name = mainJar.getFileName().toString();
        return mainJar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + "-" + platform + ".jar");
    }

    @Test
    void platformJarIsAModuleThatProvidesTheServiceAndRequiresThePresetsNatives() {
        Path platformJar = platformJar(jar, "linux-x86_64");
        ModuleDescriptor d = ModuleFinder.of(platformJar).findAll().iterator().next().descriptor();
        assertEquals("org.softmax4j.linux.x86_64", d.name());
        assertTrue(d.exports().isEmpty(), d.exports().toString());
        Set<String> requires = new TreeSet<>();
        d.requires().forEach(r -> requires.add(r.name()));
        assertEquals(new TreeSet<>(Set.of("java.base", "org.softmax4j", "org.bytedeco.javacpp.linux.x86_64",
                "org.bytedeco.openblas.linux.x86_64")), requires);
        assertEquals(1, d.provides().size(), d.provides().toString());
        ModuleDescriptor.Provides p = d.provides().iterator().next();
        assertEquals("org.softmax4j.natives.PlatformNatives", p.service());
        assertEquals(List.of("org.softmax4j.natives.linux_x86_64.Natives"), p.providers());
    }

    /**
     * Without the platform jar the main jar alone falls back to Java, and the cause says which
     * jar is missing; with only another platform's jar (a wrong classifier) it says which it found.
     */
    @Test
    void withoutThisPlatformsJarTheCauseNamesIt() throws Exception {
        Run r = java(CLASS_PATH_ACCESS, "-cp", withoutNatives + File.pathSeparator + consumerClasses,
                "org.softmax4j.consumer.Main");
        assertNotEquals(0, r.code, r.out);
        assertTrue(r.err.contains("softmax4j's native library for linux-x86_64 is not on the class path "
                + "(org/softmax4j/bridge/linux-x86_64/libjnisoftmax4j.so: add the jar org.softmax4j:softmax4j "
                + "with classifier linux-x86_64, or depend on org.softmax4j:softmax4j-platform; "
                + "platform jars found: none)"), r.err);
        Path arm64 = platformJar(jar, "linux-arm64");
        Assumptions.assumeTrue(Files.isRegularFile(arm64), "no linux-arm64 jar built (no cross compiler)");
        Run wrong = java(CLASS_PATH_ACCESS, "-cp", withoutNatives + File.pathSeparator + arm64
                + File.pathSeparator + consumerClasses, "org.softmax4j.consumer.Main");
        assertNotEquals(0, wrong.code, wrong.out);
        assertTrue(wrong.err.contains("with classifier linux-x86_64, or depend on org.softmax4j:softmax4j-platform; "
                + "platform jars found: linux-arm64)"), wrong.err);
    }

    @Test
    void internalPackagesDoNotCompile() throws IOException {
        Path src = work.resolve("internal-src/org/softmax4j/consumer/UsesInternals.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package org.softmax4j.consumer;\n"
                + "class UsesInternals { Object o = org.softmax4j.bridge.NativeCore.class; }\n");
        Path info = work.resolve("internal-src/module-info.java");
        Files.writeString(info, "module org.softmax4j.consumer { requires org.softmax4j; }\n");
        Compilation c = javac(work.resolve("internal-classes"), List.of(info.toString(), src.toString()));
        assertNotEquals(0, c.code, "a consumer module compiled against an internal package");
        assertTrue(c.log.contains("org.softmax4j.bridge") && c.log.contains("not visible"), c.log);
    }

    @Test
    void nativeBackendLoadsFromTheModulePath() throws Exception {
        Run r = java(MODULE_ACCESS, "--module-path", modulePath + File.pathSeparator + consumerClasses,
                "-m", "org.softmax4j.consumer/org.softmax4j.consumer.Main");
        assertEquals(0, r.code, () -> r.out + r.err);
        assertEquals("module org.softmax4j, backend NATIVE, transport " + TRANSPORT, r.out.strip());
        // With the documented option, no native-access (or any other) warning.
        assertEquals("", r.err, "stderr");
    }

    @Test
    void nativeBackendLoadsFromTheClassPath() throws Exception {
        Run r = java(CLASS_PATH_ACCESS, "-cp", modulePath + File.pathSeparator + consumerClasses,
                "org.softmax4j.consumer.Main");
        assertEquals(0, r.code, () -> r.out + r.err);
        assertEquals("module unnamed, backend NATIVE, transport " + TRANSPORT, r.out.strip());
        assertEquals("", r.err, "stderr");
    }

    /** -Dsoftmax4j.transport=jni keeps every call on JNI, on any JDK (the A/B switch and escape hatch). */
    @Test
    void theTransportPropertyForcesJni() throws Exception {
        Run r = java(MODULE_ACCESS, "-Dsoftmax4j.transport=jni", "--module-path",
                modulePath + File.pathSeparator + consumerClasses, "-m", "org.softmax4j.consumer/org.softmax4j.consumer.Main");
        assertEquals(0, r.code, () -> r.out + r.err);
        assertEquals("module org.softmax4j, backend NATIVE, transport jni", r.out.strip());
        assertEquals("", r.err, "stderr");
    }

    @Test
    void withoutTheOptionJdk22WarnsAndNamesIt() throws Exception {
        Run r = java("--module-path", modulePath + File.pathSeparator + consumerClasses,
                "-m", "org.softmax4j.consumer/org.softmax4j.consumer.Main");
        assertEquals(0, r.code, () -> r.out + r.err);
        if (Runtime.version().feature() >= 22) {
            // What the README tells users they will see, and which modules it names.
            assertTrue(r.err.contains("--enable-native-access=org.bytedeco.javacpp"), r.err);
            // The FFM transport's symbol lookup, from org.softmax4j's META-INF/versions/22.
            assertTrue(r.err.contains("Use --enable-native-access=org.softmax4j to avoid"), r.err);
        } else {
            assertEquals("", r.err, "stderr");
        }
    }
}
