package org.softmax4j.regression;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

import org.softmax4j.Batch;
import org.softmax4j.backend.Checks;
import org.softmax4j.internal.AtomicFiles;

/**
 * A labelled data set in memory: {@code rows} inputs of {@code features} values (row-major,
 * float64) and one integer label in [0, classes) per input, with {@code classes} = the largest
 * label + 1.
 *
 * <h2>CSV</h2>
 * One input per line, values separated by commas, the label in one column (by default the
 * last). Blank lines are skipped; a first line holding anything that is not a number is taken as
 * a header and skipped. Features must be finite numbers; labels non-negative integers ("3" or
 * "3.0"). Errors name the file, the line and the column.
 *
 * <h2>The shipped data set</h2>
 * {@link #digits()}: the optical recognition of handwritten digits data of Alpaydin and Kaynak
 * (UCI, CC BY 4.0; see the README next to the resource): 1,797 8×8 images of integer pixels in
 * 0..16 (64 features), 10 classes. {@link #digitsTrain()} and {@link #digitsTest()} split it
 * deterministically into the first {@value #DIGITS_TRAIN_ROWS} rows and the last 450.
 */
public final class Dataset {
    /** Rows of {@link #digitsTrain()}: the first 1,347 of 1,797 (75 %); the rest is {@link #digitsTest()}. */
    public static final int DIGITS_TRAIN_ROWS = 1347;
    /** The label column meaning "the last one". */
    public static final int LAST_COLUMN = -1;

    static final String DIGITS_RESOURCE = "data/digits.csv.gz";

    private final int rows;
    private final int features;
    private final int classes;
    private final double[] x;
    private final int[] labels;

    private Dataset(int rows, int features, int classes, double[] x, int[] labels) {
        this.rows = rows;
        this.features = features;
        this.classes = classes;
        this.x = x;
        this.labels = labels;
    }

    /**
     * A data set of these inputs (rows × features, row-major) and labels, both copied; classes is
     * the largest label + 1 (1 for no rows).
     *
     * @param rows the number of rows, &ge; 0
     * @param features the number of features, &ge; 0
     * @param x the inputs, rows × features, row-major
     * @param labels one label &ge; 0 per row
     * @return the data set
     * @throws IllegalArgumentException if a length does not match, a label is negative or a value is not finite
     */
    public static Dataset of(int rows, int features, double[] x, int[] labels) {
        Checks.notNull(x, "x");
        Checks.notNull(labels, "labels");
        if (rows < 0 || features < 0) throw new IllegalArgumentException("rows and features must be >= 0");
        if (x.length != (long) rows * features) {
            throw new IllegalArgumentException("x must hold rows × features = " + (long) rows * features + " values, got " + x.length);
        }
        if (labels.length != rows) throw new IllegalArgumentException("labels must hold " + rows + " values, got " + labels.length);
        Checks.finite("x", x);
        int max = 0;
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0) throw new IllegalArgumentException("labels[" + i + "] must be >= 0, got " + labels[i]);
            max = Math.max(max, labels[i]);
        }
        return new Dataset(rows, features, max + 1, x.clone(), labels.clone());
    }

    /**
     * The number of rows (examples).
     *
     * @return rows, &ge; 0
     */
    public int rows() {
        return rows;
    }

    /**
     * The number of features of each row.
     *
     * @return features, &ge; 0
     */
    public int features() {
        return features;
    }

    /**
     * The largest label + 1.
     *
     * @return the number of classes
     */
    public int classes() {
        return classes;
    }

    /**
     * A copy of the inputs, rows × features, row-major.
     *
     * @return a copy of the inputs
     */
    public double[] x() {
        return x.clone();
    }

    /**
     * A copy of the labels.
     *
     * @return a copy of the labels
     */
    public int[] labels() {
        return labels.clone();
    }

    double[] xRaw() {
        return x;
    }

    int[] labelsRaw() {
        return labels;
    }

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive) as a new data set.
     *
     * @param from the first row, inclusive
     * @param to the end row, exclusive
     * @return the rows as a new data set (with at least this one's classes)
     */
    public Dataset slice(int from, int to) {
        Objects.checkFromToIndex(from, to, rows);
        double[] xs = java.util.Arrays.copyOfRange(x, from * features, to * features);
        int[] ls = java.util.Arrays.copyOfRange(labels, from, to);
        int max = 0;
        for (int l : ls) max = Math.max(max, l);
        return new Dataset(to - from, features, Math.max(classes, max + 1), xs, ls);
    }

    /**
     * The fraction of rows whose label the classifier predicts.
     *
     * @param model the classifier
     * @return the fraction in [0, 1], or NaN for no rows
     */
    public double accuracy(SoftmaxClassifier model) {
        if (rows == 0) return Double.NaN;
        int[] p = model.predict(Batch.of(x, rows, features));
        int right = 0;
        for (int i = 0; i < rows; i++) if (p[i] == labels[i]) right++;
        return (double) right / rows;
    }

    // ---------------------------------------------------------------- the shipped data set

    /**
     * All 1,797 rows of the digits data set (64 features, 10 classes), in the file's order.
     *
     * @return the data set
     */
    public static Dataset digits() {
        try (InputStream in = Dataset.class.getResourceAsStream(DIGITS_RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + DIGITS_RESOURCE + " is missing from the jar");
            return readCsv(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.US_ASCII),
                    DIGITS_RESOURCE, LAST_COLUMN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first {@value #DIGITS_TRAIN_ROWS} rows of {@link #digits()}.
     *
     * @return the training rows
     */
    public static Dataset digitsTrain() {
        return digits().slice(0, DIGITS_TRAIN_ROWS);
    }

    /**
     * The last 450 rows of {@link #digits()}.
     *
     * @return the test rows
     */
    public static Dataset digitsTest() {
        Dataset d = digits();
        return d.slice(DIGITS_TRAIN_ROWS, d.rows());
    }

    // ---------------------------------------------------------------- CSV

    /**
     * Reads a CSV file.
     *
     * @param labelColumn the 0-based column of the label, or {@link #LAST_COLUMN}
     * @param file the CSV file
     * @return the data set
     * @throws IOException if the file cannot be read or is malformed (one line naming file, line and column)
     */
    public static Dataset readCsv(Path file, int labelColumn) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readCsv(r, file.toString(), labelColumn);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
    }

    /**
     * Reads CSV text; {@code name} is used in error messages.
     *
     * @param reader the CSV text
     * @param name what the text is, for error messages
     * @param labelColumn the 0-based column of the label, or {@link #LAST_COLUMN}
     * @return the data set
     * @throws IOException if the text cannot be read or is malformed (one line naming the source, line and column)
     */
    public static Dataset readCsv(Reader reader, String name, int labelColumn) throws IOException {
        if (labelColumn < LAST_COLUMN) throw new IllegalArgumentException("labelColumn must be >= 0 or LAST_COLUMN, got " + labelColumn);
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<double[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        int columns = -1;
        int lineNo = 0;
        boolean first = true;
        for (String line; (line = in.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] fields = line.split(",", -1);
            if (first) {
                first = false;
                if (isHeader(fields)) continue;
            }
            if (columns < 0) {
                columns = fields.length;
                if (columns < 1) throw new IOException(name + ":" + lineNo + ": no values");
                if (labelColumn != LAST_COLUMN && labelColumn >= columns) {
                    throw new IOException(name + ":" + lineNo + ": label column " + labelColumn
                            + " does not exist (" + columns + " columns)");
                }
            } else if (fields.length != columns) {
                throw new IOException(name + ":" + lineNo + ": expected " + columns + " values, got " + fields.length);
            }
            int lc = labelColumn == LAST_COLUMN ? columns - 1 : labelColumn;
            double[] row = new double[columns - 1];
            int label = -1;
            for (int c = 0, f = 0; c < columns; c++) {
                String s = fields[c].strip();
                double v;
                try {
                    v = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IOException(name + ":" + lineNo + ": column " + c + ": '" + s + "' is not a number");
                }
                if (c == lc) {
                    if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE - 1) {
                        throw new IOException(name + ":" + lineNo + ": column " + c + ": the label '" + s
                                + "' is not a non-negative integer");
                    }
                    label = (int) v;
                } else {
                    if (!Double.isFinite(v)) {
                        throw new IOException(name + ":" + lineNo + ": column " + c + ": '" + s + "' is not finite");
                    }
                    row[f++] = v;
                }
            }
            xs.add(row);
            ys.add(label);
        }
        if (xs.isEmpty()) throw new IOException(name + ": no data rows");
        int rows = xs.size();
        int features = columns - 1;
        double[] x = new double[Math.multiplyExact(rows, features)];
        int[] labels = new int[rows];
        int max = 0;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(xs.get(r), 0, x, r * features, features);
            labels[r] = ys.get(r);
            max = Math.max(max, labels[r]);
        }
        return new Dataset(rows, features, max + 1, x, labels);
    }

    private static boolean isHeader(String[] fields) {
        for (String f : fields) {
            try {
                Double.parseDouble(f.strip());
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the data set as CSV, the features then the label on each line, no header; integral
     * values without a decimal point. The file is written whole or not at all, and a new one gets
     * the permissions rw-r--r--.
     *
     * @param file where to write
     * @throws IOException "cannot write FILE: REASON"; the file is then left as it was
     */
    public void writeCsv(Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                sb.setLength(0);
                for (int c = 0; c < features; c++) sb.append(format(x[r * features + c])).append(',');
                sb.append(labels[r]).append('\n');
                w.write(sb.toString());
            }
            w.flush();
        });
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        return "Dataset[" + rows + " rows, " + features + " features, " + classes + " classes]";
    }
}
