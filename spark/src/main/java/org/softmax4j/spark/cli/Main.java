package org.softmax4j.spark.cli;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.softmax4j.internal.AtomicFiles;
import org.softmax4j.internal.Outputs;
import org.softmax4j.spark.SoftmaxFunctions;
import org.softmax4j.spark.ml.SoftmaxRegression;
import org.softmax4j.spark.ml.SoftmaxRegressionModel;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/softmax4j-spark}: train and apply softmax regression, and take a log-sum-exp, on
 * Spark (local mode unless {@code --master} says otherwise). Inputs are CSV (comma-separated,
 * numbers only, an optional header line) or Parquet (numeric columns), chosen by the file name
 * ({@code .parquet}, or a directory of Parquet files) or {@code --format}. Any failure prints one
 * line on stderr and exits 1; an output is written whole or not at all.
 */
@Command(name = "softmax4j-spark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {Main.Train.class, Main.Score.class, Main.LogSumExp.class},
        description = "softmax4j on Apache Spark: train, score, logsumexp.")
public final class Main implements Callable<Integer> {

    @Option(names = "--master", description = "Spark master URL (default: local[*], or spark-submit's)")
    String master;

    @Option(names = "--conf", description = "a Spark setting KEY=VALUE (repeatable)")
    List<String> conf = new ArrayList<>();

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:org/softmax4j/spark/cli/log4j2-cli.properties");
        }
        System.exit(run(args));
    }

    /** Runs a command line; the exit code (for tests: no System.exit). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("softmax4j-spark: " + oneLine(e));
            return 1;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            System.err.println("softmax4j-spark: " + e.getMessage().replace('\n', ' '));
            return 2;
        });
        return cl.execute(args);
    }

    /** The most specific message of an exception chain, on one line. */
    static String oneLine(Throwable e) {
        Throwable best = e;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IllegalArgumentException || c instanceof IOException || c.getCause() == null) best = c;
            if (c instanceof CliException) {
                best = c;
                break;
            }
        }
        String m = best.getMessage() == null ? best.getClass().getSimpleName() : best.getMessage();
        String line = m.strip().lines().findFirst().orElse(m);
        return line;
    }

    /** A problem with the user's input, reported as it is. */
    static final class CliException extends RuntimeException {
        CliException(String message) {
            super(message);
        }
    }

    /** The session: local[*] by default, bound to loopback in local mode. */
    SparkSession session() {
        SparkSession.Builder b = SparkSession.builder().appName("softmax4j-spark");
        org.apache.spark.SparkConf existing = new org.apache.spark.SparkConf();
        String m = master != null ? master : existing.get("spark.master", "local[*]");
        b.master(m);
        if (m.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false");
        }
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new CliException("--conf " + kv + ": expected KEY=VALUE");
            b.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("ERROR");
        SoftmaxFunctions.register(s);
        return s;
    }

    /** Where the data is and how to read it. */
    static class Input {
        @Option(names = "--format", description = "csv or parquet (default: from the file name)")
        String format;

        /** Reads a numeric table: every column as double, non-numbers rejected with their column. */
        Dataset<Row> read(SparkSession spark, String path) {
            Path local = Path.of(path);
            if (!path.contains("://") && !Files.exists(local)) throw new CliException(path + ": no such file");
            String f = format != null ? format.toLowerCase(Locale.ROOT)
                    : path.endsWith(".parquet") || Files.isDirectory(local) ? "parquet" : "csv";
            Dataset<Row> raw;
            switch (f) {
                case "parquet" -> raw = spark.read().parquet(path);
                case "csv" -> {
                    raw = spark.read().option("header", hasHeader(spark, path)).option("mode", "FAILFAST").csv(path);
                }
                default -> throw new CliException("--format must be csv or parquet, got " + format);
            }
            if (raw.columns().length == 0) throw new CliException(path + ": no columns");
            List<Column> cast = new ArrayList<>();
            for (String c : raw.columns()) cast.add(col("`" + c + "`").try_cast("double").as(c));
            Dataset<Row> numbers = raw.select(cast.toArray(new Column[0]));
            // A value that is not a number: name the column and the value.
            for (String c : raw.columns()) {
                List<Row> bad = raw.filter(col("`" + c + "`").isNotNull().and(col("`" + c + "`").try_cast("double").isNull()))
                        .select(col("`" + c + "`")).limit(1).collectAsList();
                if (!bad.isEmpty()) throw new CliException(path + ": column " + c + " holds '" + bad.get(0).get(0) + "', not a number");
                if (!raw.filter(col("`" + c + "`").isNull()).limit(1).isEmpty()) throw new CliException(path + ": column " + c + " has an empty value");
            }
            return numbers;
        }

        /** A first line holding anything that is not a number is a header (as the core's CSV reader says). */
        static boolean hasHeader(SparkSession spark, String path) {
            List<Row> first = spark.read().text(path).limit(1).collectAsList();
            if (first.isEmpty()) throw new CliException(path + ": empty file");
            for (String v : first.get(0).getString(0).split(",", -1)) {
                try {
                    Double.parseDouble(v.trim());
                } catch (NumberFormatException e) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Features as one vector column; the label column (if any) as "label". */
    static Dataset<Row> labelled(Dataset<Row> numbers, String labelColumn, String path) {
        String[] cols = numbers.columns();
        int label;
        if (labelColumn.equals("last")) {
            label = cols.length - 1;
        } else {
            try {
                label = Integer.parseInt(labelColumn);
            } catch (NumberFormatException e) {
                throw new CliException("--label-column must be a column number or last, got " + labelColumn);
            }
        }
        if (label < 0 || label >= cols.length) {
            throw new CliException("--label-column " + labelColumn + ": " + path + " has " + cols.length + " columns");
        }
        List<Column> features = new ArrayList<>();
        for (int i = 0; i < cols.length; i++) if (i != label) features.add(col("`" + cols[i] + "`"));
        return numbers.select(col("`" + cols[label] + "`").as("label"),
                functions.array_to_vector(org.apache.spark.sql.functions.array(features.toArray(new Column[0]))).as("features"));
    }

    static Dataset<Row> features(Dataset<Row> numbers) {
        List<Column> features = new ArrayList<>();
        for (String c : numbers.columns()) features.add(col("`" + c + "`"));
        return numbers.select(functions.array_to_vector(org.apache.spark.sql.functions.array(features.toArray(new Column[0]))).as("features"));
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Fit softmax regression (distributed L-BFGS); print the loss per iteration and the accuracy.")
    static final class Train implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @CommandLine.Mixin
        Input input = new Input();

        @Option(names = "--data", required = true, description = "training rows (CSV or Parquet)")
        String data;

        @Option(names = "--test", description = "test rows, same layout")
        String test;

        @Option(names = "--label-column", defaultValue = "last", description = "0-based column of the label, or last (default)")
        String labelColumn;

        @Option(names = "--l2", defaultValue = "0", description = "λ of the L2 penalty (Spark ML's regParam)")
        double l2;

        @Option(names = "--max-iter", defaultValue = "1000", description = "maximum L-BFGS iterations")
        int maxIter;

        @Option(names = "--out", required = true, description = "the model: MODEL.npz (the core's file) or a directory (Spark ML)")
        String out;

        @Override
        public Integer call() throws IOException {
            if (l2 < 0 || !Double.isFinite(l2)) throw new CliException("--l2 must be finite and >= 0, got " + l2);
            if (maxIter < 0) throw new CliException("--max-iter must be >= 0, got " + maxIter);
            checkModelOut(out, data, test);
            SparkSession spark = main.session();
            Dataset<Row> train = labelled(input.read(spark, data), labelColumn, data).cache();
            SoftmaxRegressionModel model = new SoftmaxRegression().setRegParam(l2).setMaxIter(maxIter)
                    .setIterationListener((i, loss, g) -> System.out.printf(Locale.ROOT,
                            "iteration %d  loss %.8f  gradient %.1e%n", i, loss, g))
                    .fit(train);
            System.out.println("stopped: " + model.stopReason());
            save(model, out);
            System.out.println("saved: " + out);
            System.out.printf(Locale.ROOT, "train accuracy: %.4f%n", accuracy(model, train));
            if (test != null) {
                Dataset<Row> t = labelled(input.read(spark, test), labelColumn, test);
                if (t.select("features").head().<org.apache.spark.ml.linalg.Vector>getAs(0).size() != model.numFeatures()) {
                    throw new CliException(test + ": rows have a different number of features than " + data);
                }
                System.out.printf(Locale.ROOT, "test accuracy: %.4f%n", accuracy(model, t));
            }
            return 0;
        }

        static double accuracy(SoftmaxRegressionModel m, Dataset<Row> d) {
            Row r = m.transform(d).selectExpr("avg(CAST(prediction = label AS DOUBLE))").head();
            return r.getDouble(0);
        }

        /** The model, whole or not at all: the .npz through the core's atomic write, a directory by {@link #replaceFolder}. */
        static void save(SoftmaxRegressionModel m, String out) throws IOException {
            if (out.endsWith(".npz")) m.saveNpz(Path.of(out));
            else if (isLocal(out)) replaceFolder(Path.of(out), tmp -> m.write().overwrite().save(tmp.toString()));
            else m.write().overwrite().save(out);
        }
    }

    /** True for a path on this machine's file system (not a URI such as hdfs://…, which Spark checks itself). */
    static boolean isLocal(String path) {
        return !path.contains("://");
    }

    /** The local files among {@code paths} (null for an option not given or a remote path). */
    static Path[] localFiles(String... paths) {
        Path[] files = new Path[paths.length];
        for (int i = 0; i < paths.length; i++) files[i] = paths[i] != null && isLocal(paths[i]) ? Path.of(paths[i]) : null;
        return files;
    }

    /**
     * Fails before any work if {@code train --out} cannot be written, in the words of the core's
     * command line ({@link Outputs}, {@link AtomicFiles#checkFolder}): a {@code .npz} file as
     * {@code bin/softmax4j train --out} checks it; a Spark ML model directory must be a new
     * folder in an existing one, or an empty folder, or a model to replace, and must not hold an
     * input (replacing it would delete the input).
     */
    static void checkModelOut(String out, String... inputs) throws IOException {
        if (!isLocal(out)) return;
        Path file = Path.of(out);
        if (out.endsWith(".npz")) {
            Outputs.check("--out", file, localFiles(inputs));
            return;
        }
        AtomicFiles.checkFolder(file);
        Path folder = file.toAbsolutePath().normalize();
        for (Path in : localFiles(inputs)) {
            if (in != null && in.toAbsolutePath().normalize().startsWith(folder)) {
                throw new IllegalArgumentException("--out " + out + " holds the input " + in
                        + "; write the model elsewhere");
            }
        }
        // Only a model (or nothing) is replaced: a mistyped --out must not delete a folder of files.
        if (Files.isDirectory(folder) && !Files.isDirectory(folder.resolve("metadata"))) {
            try (var entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + out + " is a folder that holds no Spark ML model"
                            + " (no metadata/); write the model elsewhere");
                }
            }
        }
    }

    /** Writes a folder's contents into a given empty location. */
    @FunctionalInterface
    interface FolderContent {
        void writeTo(Path folder) throws IOException;
    }

    /**
     * Replaces the folder {@code dir} by what {@code content} writes, whole or not at all: it
     * writes into a new hidden folder beside {@code dir}, which then takes {@code dir}'s place by
     * renames (the old folder, if any, is moved aside first and deleted last). On any failure the
     * new folder is deleted and {@code dir} is as it was.
     */
    static void replaceFolder(Path dir, FolderContent content) throws IOException {
        Path target = dir.toAbsolutePath();
        Path parent = target.getParent();
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".");
        Path old = null;
        try {
            content.writeTo(tmp);
            if (Files.exists(target)) {
                old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old.");
                Files.move(target, old = old.resolve("model"), StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (old != null) Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                old = null;
                throw new IOException("cannot write to " + dir + ": " + e.getMessage(), e);
            }
        } finally {
            deleteTree(tmp);
            if (old != null) deleteTree(old.getParent());
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var files = Files.walk(p)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    static SoftmaxRegressionModel loadModel(String path) throws IOException {
        if (path.endsWith(".npz")) return SoftmaxRegressionModel.fromNpz(Path.of(path));
        if (!Files.isDirectory(Path.of(path))) throw new CliException(path + ": no such model (a .npz file or a Spark ML model directory)");
        return SoftmaxRegressionModel.load(path);
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Write the class probabilities of every row, one line per input row, in input order.")
    static final class Score implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @CommandLine.Mixin
        Input input = new Input();

        @Option(names = "--model", required = true, description = "MODEL.npz or a Spark ML model directory")
        String model;

        @Option(names = "--data", required = true, description = "rows of features (CSV or Parquet)")
        String data;

        @Option(names = "--out", required = true, description = "P.csv: one line of probabilities per input row")
        String out;

        @Override
        public Integer call() throws IOException {
            if (isLocal(out)) Outputs.check("--out", Path.of(out), localFiles(model, data));
            SparkSession spark = main.session();
            SoftmaxRegressionModel m = loadModel(model);
            Dataset<Row> x = features(input.read(spark, data));
            int d = x.head().<org.apache.spark.ml.linalg.Vector>getAs(0).size();
            if (d != m.numFeatures()) {
                throw new CliException(data + ": rows have " + d + " values, the model takes " + m.numFeatures());
            }
            m.setRawPredictionCol("").setPredictionCol("");
            Dataset<Row> lines = m.transform(x).select(org.apache.spark.sql.functions.concat_ws(",",
                    functions.vector_to_array(col("probability"), "float64").cast("array<string>")).as("line"));
            writeInOrder(lines, Path.of(out));
            return 0;
        }
    }

    /**
     * Writes one text column as lines, in the order of the rows (partitions concatenated in order,
     * without a shuffle), to a temporary directory beside {@code out}, then moves the single part
     * file into place: the output is complete or untouched. {@code out} was checked before any
     * work ({@link Outputs#check}).
     */
    static void writeInOrder(Dataset<Row> lines, Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        Path tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".");
        try {
            lines.coalesce(1).write().mode("overwrite").text(tmp.toString());
            Path part;
            try (var files = Files.list(tmp)) {
                part = files.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElse(null);
            }
            if (part == null) Files.createFile(part = tmp.resolve("part-empty"));
            Files.move(part, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }
    }

    @Command(name = "logsumexp", mixinStandardHelpOptions = true, description = "Print the log-sum-exp of one column over all rows.")
    static final class LogSumExp implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @CommandLine.Mixin
        Input input = new Input();

        @Option(names = "--data", required = true, description = "rows (CSV or Parquet)")
        String data;

        @Option(names = "--column", required = true, description = "0-based column")
        int column;

        @Option(names = "--temperature", defaultValue = "1", description = "τ > 0: log Σ exp(x/τ)")
        double temperature;

        @Override
        public Integer call() {
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new CliException("--temperature must be finite and > 0, got " + temperature);
            }
            SparkSession spark = main.session();
            Dataset<Row> numbers = input.read(spark, data);
            String[] cols = numbers.columns();
            if (column < 0 || column >= cols.length) throw new CliException("--column " + column + ": " + data + " has " + cols.length + " columns");
            double lse = numbers.agg(SoftmaxFunctions.logSumExpAgg(col("`" + cols[column] + "`"), temperature)).head().getDouble(0);
            PrintWriter w = new PrintWriter(System.out, true);
            w.println(lse);
            return 0;
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"softmax4j-spark " + (v == null ? "(development build)" : v)};
        }
    }
}
