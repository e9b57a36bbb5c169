package org.softmax4j.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.softmax4j.bench.Shape;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * One measurement in the suite's JSON-lines format, shared with {@code bench/jmh_report.py} and
 * {@code bench/compare.py} (see {@code bench/result_format.py}):
 * <pre>
 * {"op": "softmax", "rows": 64, "n": 1000, "dtype": "float32", "threads": 1,
 *  "backend": "native", "ns_per_element": 0.41, "gb_per_s": 19.5}
 * </pre>
 * {@code ns_per_element} is the median time of one call over the batch divided by rows × n;
 * {@code gb_per_s} counts each element read and written once (8 B in float32, 16 B in float64),
 * or read only for log-sum-exp (4 B, 8 B). {@code kind}, a buffer kind, is optional.
 *
 * @param kind the buffer kind, or null when it is not part of the measurement
 */
record BenchResult(String op, int rows, int n, String dtype, int threads, String backend,
        double nsPerElement, double gbPerS, String kind) {

    static final List<String> OPS = List.of("softmax", "logSoftmax", "logSumExp");
    static final List<String> DTYPES = List.of("float32", "float64");

    /** The order in which tables and charts list backends: softmax4j's first, then the peers. */
    static final List<String> BACKEND_ORDER = List.of("native", "java", "onnxruntime", "scipy", "numpy", "torch");

    /** Orders results for display: by backend (as above, unknown ones last), buffer kind, threads. */
    static final java.util.Comparator<BenchResult> DISPLAY_ORDER = java.util.Comparator
            .comparingInt((BenchResult r) -> {
                int i = BACKEND_ORDER.indexOf(r.backend());
                return i < 0 ? BACKEND_ORDER.size() : i;
            })
            .thenComparing(BenchResult::backend)
            .thenComparing(r -> r.kind() == null ? "" : r.kind())
            .thenComparingInt(BenchResult::threads);

    /** A result from the median time of one call, in nanoseconds. */
    static BenchResult of(String op, Shape shape, String dtype, int threads, String backend, double nsPerCall) {
        double ns = nsPerCall / shape.elements();
        return new BenchResult(op, shape.rows(), shape.n(), dtype, threads, backend, ns,
                bytesPerElement(op, dtype) / ns, null);
    }

    /** Bytes an operation must move per element: read and write, or read only for log-sum-exp. */
    static int bytesPerElement(String op, String dtype) {
        int size = dtype.equals("float32") ? Float.BYTES : Double.BYTES;
        return op.equals("logSumExp") ? size : 2 * size;
    }

    Shape shape() {
        return new Shape(rows, n);
    }

    /** One line of JSON, keys in the documented order, numbers to 4 significant digits. */
    String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("op", op);
        o.addProperty("rows", rows);
        o.addProperty("n", n);
        o.addProperty("dtype", dtype);
        o.addProperty("threads", threads);
        o.addProperty("backend", backend);
        o.addProperty("ns_per_element", round(nsPerElement));
        o.addProperty("gb_per_s", round(gbPerS));
        if (kind != null) o.addProperty("kind", kind);
        return o.toString();
    }

    private static double round(double v) {
        return Double.isFinite(v) ? new BigDecimal(v).round(new MathContext(4)).doubleValue() : v;
    }

    /** Reads a JSON-lines file; blank lines are skipped. */
    static List<BenchResult> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
        List<BenchResult> results = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                results.add(parse(lines.get(i)));
            } catch (IllegalArgumentException | JsonParseException | IllegalStateException e) {
                throw new IOException(file + ":" + (i + 1) + ": " + Main.oneLine(e), e);
            }
        }
        if (results.isEmpty()) throw new IOException(file + ": no results in it");
        return results;
    }

    /** Parses one line. */
    static BenchResult parse(String line) {
        JsonElement e = JsonParser.parseString(line);
        if (!e.isJsonObject()) throw new IllegalArgumentException("not a JSON object");
        JsonObject o = e.getAsJsonObject();
        String op = string(o, "op");
        if (!OPS.contains(op)) throw new IllegalArgumentException("'op' must be one of " + OPS + ", got '" + op + "'");
        String dtype = string(o, "dtype");
        if (!DTYPES.contains(dtype)) throw new IllegalArgumentException("'dtype' must be float32 or float64, got '" + dtype + "'");
        double ns = number(o, "ns_per_element");
        if (!(ns > 0) || Double.isInfinite(ns)) throw new IllegalArgumentException("'ns_per_element' must be > 0, got " + ns);
        String kind = o.has("kind") ? string(o, "kind") : null;
        return new BenchResult(op, positive(o, "rows"), positive(o, "n"), dtype, positive(o, "threads"),
                string(o, "backend"), ns, number(o, "gb_per_s"), kind);
    }

    private static JsonPrimitive primitive(JsonObject o, String key) {
        JsonElement v = o.get(key);
        if (v == null || v.isJsonNull()) throw new IllegalArgumentException("missing key '" + key + "'");
        if (!v.isJsonPrimitive()) throw new IllegalArgumentException("'" + key + "' must be a single value");
        return v.getAsJsonPrimitive();
    }

    private static String string(JsonObject o, String key) {
        JsonPrimitive p = primitive(o, key);
        if (!p.isString()) throw new IllegalArgumentException("'" + key + "' must be a string");
        return p.getAsString();
    }

    private static double number(JsonObject o, String key) {
        JsonPrimitive p = primitive(o, key);
        if (!p.isNumber()) throw new IllegalArgumentException("'" + key + "' must be a number");
        return p.getAsDouble();
    }

    private static int positive(JsonObject o, String key) {
        double d = number(o, key);
        if (d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + key + "' must be a positive integer, got " + primitive(o, key));
        }
        return (int) d;
    }
}
