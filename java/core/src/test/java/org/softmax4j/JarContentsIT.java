package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * What the packaged jars carry besides classes: the main jar no natives, each platform jar
 * ({@code softmax4j-<v>-<platform>.jar}) exactly its platform's; each the licence of the project
 * and a NOTICE naming every bundled native library and data file with the licence texts it
 * refers to; and none of the build's intermediate files (JavaCPP's generated JNI sources).
 */
class JarContentsIT {
    private static final Path JAR = Path.of(System.getProperty("softmax4j.it.jar"));

    /** The main jar and the platform jars that were built (linux-x86_64 always). */
    private static List<Path> jars() {
        List<Path> jars = new ArrayList<>(List.of(JAR));
        for (String platform : List.of("linux-x86_64", "linux-arm64")) {
            Path p = ModulePathIT.platformJar(JAR, platform);
            if (platform.equals("linux-x86_64") || Files.isRegularFile(p)) jars.add(p);
        }
        return jars;
    }

    @Test
    void nativesOnlyInTheirPlatformJar() throws IOException {
        for (Path path : jars()) {
            try (JarFile jar = new JarFile(path.toFile())) {
                Set<String> natives = new TreeSet<>();
                for (String name : entries(jar)) {
                    if (name.matches(".*\\.so(\\.\\d+)*")) natives.add(name);
                }
                String platform = path.equals(JAR) ? null
                        : path.getFileName().toString().replaceFirst(".*-(linux-[a-z0-9_]+)\\.jar$", "$1");
                Set<String> expected = platform == null ? Set.of()
                        : Set.of("org/softmax4j/bridge/" + platform + "/libjnisoftmax4j.so",
                                "org/softmax4j/bridge/" + platform + "/libgomp.so.1",
                                "org/softmax4j/bridge/" + platform + "/libsoftmax4j_openmp_env.so");
                assertEquals(expected, natives, path.toString());
                if (platform != null) {
                    String module = "org.softmax4j." + platform.replace('-', '.');
                    assertNotNull(jar.getJarEntry("module-info.class"), path + ": module " + module);
                    assertEquals("org.softmax4j.natives." + platform.replace('-', '_') + ".Natives",
                            text(jar, "META-INF/services/org.softmax4j.natives.PlatformNatives").strip(), path.toString());
                }
            }
        }
    }

    private static String text(JarFile jar, String name) throws IOException {
        JarEntry e = jar.getJarEntry(name);
        assertNotNull(e, name + " is not in the jar");
        try (InputStream in = jar.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> entries(JarFile jar) {
        List<String> names = new ArrayList<>();
        jar.stream().filter(e -> !e.isDirectory()).forEach(e -> names.add(e.getName()));
        return names;
    }

    @Test
    void licenceAndNotice() throws IOException {
        for (Path path : jars()) licenceAndNotice(path);
    }

    private static void licenceAndNotice(Path path) throws IOException {
        try (JarFile jar = new JarFile(path.toFile())) {
            assertTrue(text(jar, "META-INF/LICENSE").contains("Apache License")
                    && text(jar, "META-INF/LICENSE").contains("Version 2.0"), "META-INF/LICENSE");
            String notice = text(jar, "META-INF/NOTICE");
            // Every native library and data file in the jar has its paragraph in the NOTICE.
            for (String name : entries(jar)) {
                if (name.matches(".*\\.so(\\.\\d+)*") || name.endsWith(".gz")) {
                    assertTrue(notice.contains(name), "NOTICE does not name " + name);
                }
            }
            // libgomp is GPL-3.0 with the GCC Runtime Library Exception: both texts are there.
            assertTrue(notice.contains("GCC Runtime Library Exception"), notice);
            // The licence texts the NOTICE refers to are exactly those in META-INF/licenses/.
            Set<String> referenced = new TreeSet<>();
            Pattern.compile("licenses/([\\w.-]+\\.txt)").matcher(notice).results()
                    .forEach(r -> referenced.add("META-INF/licenses/" + r.group(1)));
            Set<String> shipped = new TreeSet<>();
            for (String name : entries(jar)) {
                if (name.startsWith("META-INF/licenses/")) shipped.add(name);
            }
            assertEquals(referenced, shipped);
            assertTrue(text(jar, "META-INF/licenses/GPL-3.0.txt").contains("GNU GENERAL PUBLIC LICENSE"));
            assertTrue(text(jar, "META-INF/licenses/GCC-exception-3.1.txt")
                    .contains("GCC RUNTIME LIBRARY EXCEPTION"));
            assertTrue(text(jar, "META-INF/licenses/OpenBLAS-BSD-3-Clause.txt")
                    .contains("Redistribution and use in source and binary forms"));
        }
    }

    @Test
    void noBuildIntermediates() throws IOException {
        for (Path path : jars()) {
            try (JarFile jar = new JarFile(path.toFile())) {
                for (String name : entries(jar)) {
                    assertTrue(!name.endsWith(".cpp") && !name.endsWith(".h") && !name.endsWith(".o")
                            && !name.endsWith(".a") && !name.endsWith(".java"), "build file in " + path + ": " + name);
                }
            }
        }
    }
}
