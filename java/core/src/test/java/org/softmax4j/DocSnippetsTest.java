package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of {@code README.md} and {@code docs/*.md} compiles, as written,
 * against this build of the library: documentation that shows code a user cannot paste is a bug.
 *
 * <h2>The convention for snippets</h2>
 * A snippet is the body of a method that may throw any exception, in a class that imports
 * {@link #IMPORTS} on demand. Whatever it uses without declaring (sizes, arrays, a model) is
 * declared in an HTML comment on the line(s) just before the fence, which Markdown does not
 * render:
 *
 * <pre>{@code
 * <!-- given: int rows, n; float[] x, y; Softmax sm = Softmax.get(); -->
 * ```java
 * sm.softmax(rows, n, x, y);
 * ```
 * }</pre>
 *
 * The declarations become fields of the snippet's class (so they need no initial value). The
 * snippets are compiled, not run. A compile error is reported at its line in the Markdown file.
 *
 * <p>A snippet for JDK 22 and later (MemorySegments: {@code org.softmax4j.Segments} exists only in
 * the jar's {@code META-INF/versions/22}) says so before {@code given:}, as in
 * {@code <!-- jdk22 given: Softmax sm; -->}; it also imports {@code java.lang.foreign}, and is
 * compiled at {@code --release 22} against the versioned classes, where the tests run on JDK 22+
 * (CI's Temurin 25 run) and skipped below.
 */
class DocSnippetsTest {

    /** What every snippet may use without an import. */
    static final List<String> IMPORTS = List.of("java.io", "java.nio", "java.nio.file", "java.util",
            "org.bytedeco.javacpp", "org.softmax4j", "org.softmax4j.io", "org.softmax4j.regression");

    /** What a JDK 22 snippet may use besides {@link #IMPORTS}. */
    static final List<String> IMPORTS_22 = List.of("java.lang.foreign");

    /** One {@code ```java} block: where it is, what it assumes, its code, and the release it needs. */
    record Snippet(String file, int firstLine, String given, String code, int release) {
        Snippet(String file, int firstLine, String given, String code) {
            this(file, firstLine, given, code, 17);
        }

        @Override
        public String toString() {
            return file + ":" + firstLine;
        }
    }

    private static final Pattern GIVEN = Pattern.compile("<!--\\s*(jdk22\\s+)?given:(.*?)-->\\s*$", Pattern.DOTALL);

    /** The java blocks of one Markdown text; {@code firstLine} is the 1-based line after the fence. */
    static List<Snippet> snippets(String file, String markdown) {
        List<String> lines = markdown.lines().toList();
        List<Snippet> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i).strip();
            if (!fence.startsWith("```")) continue;
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) end++;
            if (end == lines.size()) fail(file + ":" + (i + 1) + ": unterminated code block");
            if (fence.substring(3).strip().toLowerCase(Locale.ROOT).equals("java")) {
                String code = String.join("\n", lines.subList(i + 1, end));
                Matcher given = given(lines, i);
                found.add(new Snippet(file, i + 2, given == null ? "" : given.group(2).strip(), code,
                        given != null && given.group(1) != null ? 22 : 17));
            }
            i = end;
        }
        return found;
    }

    /** The {@code <!-- [jdk22] given: ... -->} comment ending on the line before the fence, or null. */
    private static Matcher given(List<String> lines, int fence) {
        if (fence == 0 || !lines.get(fence - 1).strip().endsWith("-->")) return null;
        int start = fence - 1;
        while (start > 0 && !lines.get(start).contains("<!--")) start--;
        Matcher m = GIVEN.matcher(String.join("\n", lines.subList(start, fence)).strip());
        return m.find() ? m : null;
    }

    /** The repository's root: the folder above the working directory that holds README.md and native/. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("native"))) return p;
        }
        throw new IllegalStateException("no README.md with native/ beside it above " + Path.of("").toAbsolutePath());
    }

    /** README.md and docs/*.md, in that order. */
    static List<Path> documents(Path root) throws IOException {
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** The Java source compiled for a snippet; the snippet's first line is line {@link #HEADER_LINES} + 1. */
    static String source(String className, Snippet s) {
        List<String> packages = new ArrayList<>(IMPORTS);
        if (s.release() >= 22) packages.addAll(IMPORTS_22);
        String imports = packages.stream().map(p -> "import " + p + ".*;").collect(Collectors.joining(" "));
        // Exactly HEADER_LINES lines before the code, so that javac's line numbers map back.
        return imports + "\n"
                + "@SuppressWarnings(\"all\") class " + className + " { " + s.given() + "\n"
                + "void snippet() throws Exception {\n"
                + s.code() + "\n}}\n";
    }

    static final int HEADER_LINES = 3;

    /** A compile error of one snippet, as "file:line: message". */
    record CompileError(Snippet snippet, String text) {}

    /**
     * Compiles each snippet on its own into {@code out} (a syntax error stops javac before it
     * checks types, so one broken snippet must not hide the errors of the others); returns the
     * errors of all.
     */
    static List<CompileError> compile(List<Snippet> snippets, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK is needed to compile the documentation's snippets");
        List<CompileError> errors = new ArrayList<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            for (int i = 0; i < snippets.size(); i++) {
                Snippet s = snippets.get(i);
                if (s.release() > 17 && !canCompile22()) continue;
                // A JDK 22 snippet sees the jar's META-INF/versions/22 first, as javac does in the jar.
                String cp = s.release() > 17 ? versions22() + java.io.File.pathSeparator + classPath() : classPath();
                List<String> options = List.of("-proc:none", "-Xlint:none", "--release", String.valueOf(s.release()),
                        "-d", out.toString(), "-classpath", cp);
                String name = "Snippet" + i;
                String src = source(name, s);
                JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
                        JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return src;
                    }
                };
                DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
                javac.getTask(new StringWriter(), files, diagnostics, options, null, List.of(unit)).call();
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() != Diagnostic.Kind.ERROR) continue;
                    long codeLine = d.getLineNumber() - HEADER_LINES;
                    String where = codeLine >= 1 && codeLine <= s.code().lines().count()
                            ? s.file() + ":" + (s.firstLine() + codeLine - 1)
                            : s + " (the snippet as a whole, or its given: comment)";
                    errors.add(new CompileError(s, where + ": " + d.getMessage(Locale.ROOT).lines().map(String::strip).collect(Collectors.joining("; "))));
                }
            }
        }
        return errors;
    }

    /** The versioned classes of this build: target/classes/META-INF/versions/22. */
    private static Path versions22() {
        return Path.of(classPath().split(java.io.File.pathSeparator)[0], "META-INF", "versions", "22");
    }

    /** Whether JDK 22 snippets can be compiled here: a JDK 22+, and a build with its versioned classes. */
    static boolean canCompile22() {
        return Runtime.version().feature() >= 22 && Files.isDirectory(versions22());
    }

    /** This build's classes and JavaCPP: everything a snippet may import. */
    private static String classPath() {
        try {
            return Stream.of(Softmax.class, FloatPointer.class)
                    .map(c -> {
                        try {
                            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
                        } catch (URISyntaxException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .collect(Collectors.joining(java.io.File.pathSeparator));
        } catch (NullPointerException e) {
            throw new IllegalStateException("cannot locate the library's classes", e);
        }
    }

    @TempDir
    Path out;

    @TestFactory
    Stream<DynamicTest> everyJavaSnippetCompiles() throws IOException {
        Path root = repositoryRoot();
        List<Snippet> all = new ArrayList<>();
        for (Path doc : documents(root)) {
            all.addAll(snippets(root.relativize(doc).toString(), Files.readString(doc)));
        }
        assertTrue(all.stream().filter(s -> s.file().equals("README.md")).count() >= 3,
                "README.md's Java snippets were not found: " + all);
        List<CompileError> errors = compile(all, out);
        return all.stream().map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
            org.junit.jupiter.api.Assumptions.assumeTrue(s.release() == 17 || canCompile22(),
                    "a JDK 22 snippet: compiled on JDK 22+ only");
            List<String> mine = errors.stream().filter(e -> e.snippet() == s).map(CompileError::text).toList();
            assertEquals(List.of(), mine, () -> "the snippet at " + s + " does not compile:\n" + String.join("\n", mine));
        }));
    }

    // ---------------------------------------------------------------- the checker itself

    @Test
    void findsBlocksTheirLinesAndWhatTheyAreGiven() {
        String md = String.join("\n", "# T", "", "<!-- given: int rows;", "  float[] x; -->", "```java",
                "int a = rows;", "```", "```sh", "echo", "```", "```java", "x();", "```");
        List<Snippet> s = snippets("t.md", md);
        assertEquals(2, s.size());
        assertEquals(new Snippet("t.md", 6, "int rows;\n  float[] x;", "int a = rows;"), s.get(0));
        assertEquals(new Snippet("t.md", 12, "", "x();"), s.get(1));
    }

    @Test
    void aJdk22SnippetSaysSo() {
        List<Snippet> s = snippets("t.md", String.join("\n", "<!-- jdk22 given: MemorySegment m; -->", "```java",
                "m.byteSize();", "```", "<!-- given: int a; -->", "```java", "a++;", "```"));
        assertEquals(List.of(new Snippet("t.md", 3, "MemorySegment m;", "m.byteSize();", 22),
                new Snippet("t.md", 7, "int a;", "a++;", 17)), s);
    }

    @Test
    void reportsAnErrorAtItsLineInTheMarkdown() throws IOException {
        String md = String.join("\n", "text", "<!-- given: float[] x; -->", "```java", "float[] y = x;",
                "double[] z = x;   // wrong type", "```", "```java", "Softmax.get().softmax(1, 2, new float[2], new float[2]);", "```");
        List<Snippet> s = snippets("t.md", md);
        List<CompileError> errors = compile(s, out);
        assertEquals(1, errors.size(), errors::toString);
        assertEquals(s.get(0), errors.get(0).snippet());
        assertTrue(errors.get(0).text().startsWith("t.md:5: "), errors.get(0).text());
        assertFalse(errors.get(0).text().contains("Snippet"), "the message names the Markdown, not the generated class");
    }
}
