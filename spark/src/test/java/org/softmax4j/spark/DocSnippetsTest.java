package org.softmax4j.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java spark} block of {@code README.md} and {@code docs/spark.md} compiles
 * against this module and Spark, as the body of a method, with the declarations of a
 * {@code <!-- given: ... -->} comment on the line before the fence (the convention of the core's
 * DocSnippetsTest, which compiles the plain {@code ```java} blocks against the core alone).
 */
class DocSnippetsTest {
    static final List<String> IMPORTS = List.of("java.nio.file", "java.util", "org.apache.spark.sql",
            "org.apache.spark.ml", "org.softmax4j.spark", "org.softmax4j.spark.ml");

    record Snippet(String file, int line, String given, String code) {}

    static List<Snippet> snippets(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Snippet> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java spark")) continue;
            String given = "";
            if (i > 0 && lines.get(i - 1).strip().startsWith("<!-- given:")) {
                given = lines.get(i - 1).strip().replaceFirst("<!-- given:", "").replaceFirst("-->$", "");
            }
            StringBuilder code = new StringBuilder();
            int j = i + 1;
            for (; j < lines.size() && !lines.get(j).strip().equals("```"); j++) code.append(lines.get(j)).append('\n');
            found.add(new Snippet(file.getFileName().toString(), i + 2, given, code.toString()));
            i = j;
        }
        return found;
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("spark/pom.xml"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("no project root above " + Path.of("").toAbsolutePath());
        return p;
    }

    @Test
    void everySparkJavaBlockCompiles() throws IOException {
        Path root = root();
        List<Snippet> all = new ArrayList<>();
        all.addAll(snippets(root.resolve("README.md")));
        all.addAll(snippets(root.resolve("docs/spark.md")));
        assertTrue(all.size() >= 4, "blocks found: " + all.size());
        StringBuilder src = new StringBuilder();
        for (String i : IMPORTS) src.append("import ").append(i).append(".*;\n");
        src.append("import static org.apache.spark.sql.functions.*;\n");
        src.append("class Snippets {\n");
        List<int[]> at = new ArrayList<>();
        int line = IMPORTS.size() + 3;
        for (int s = 0; s < all.size(); s++) {
            Snippet sn = all.get(s);
            src.append("  void s").append(s).append("(").append(params(sn.given())).append(") throws Exception {\n");
            line++;
            at.add(new int[] {line, s});
            src.append(sn.code()).append("  }\n");
            line += (int) sn.code().lines().count() + 1;
        }
        src.append("}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippets.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignore) {
                return src;
            }
        };
        Path out = Files.createTempDirectory("snippets");
        boolean ok = javac.getTask(null, null, diagnostics, List.of("-classpath", System.getProperty("java.class.path"),
                "-d", out.toString(), "-proc:none"), null, List.of(file)).call();
        StringBuilder errors = new StringBuilder();
        diagnostics.getDiagnostics().forEach(d -> {
            if (d.getKind() != javax.tools.Diagnostic.Kind.ERROR) return;
            long l = d.getLineNumber();
            int s = -1;
            long first = 0;
            for (int[] a : at) if (a[0] <= l) { s = a[1]; first = a[0]; }
            Snippet sn = s >= 0 ? all.get(s) : null;
            errors.append(sn == null ? "?" : sn.file() + ":" + (sn.line() + (l - first - 1)))
                    .append(": ").append(d.getMessage(null)).append('\n');
        });
        assertFalse(!ok, errors.toString());
    }

    /** "SparkSession spark; Dataset<Row> a, b;" as method parameters. */
    static String params(String given) {
        List<String> ps = new ArrayList<>();
        for (String decl : given.split(";")) {
            decl = decl.strip();
            if (decl.isEmpty()) continue;
            int sp = decl.lastIndexOf(' ', decl.indexOf(',') < 0 ? decl.length() : decl.indexOf(','));
            String type = decl.substring(0, sp).strip();
            for (String name : decl.substring(sp + 1).split(",")) ps.add(type + " " + name.strip());
        }
        return String.join(", ", ps);
    }
}
