package org.softmax4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.softmax4j.Softmax;
import org.softmax4j.internal.Outputs;
import org.softmax4j.regression.Dataset;
import org.softmax4j.regression.SoftmaxClassifier;
import org.softmax4j.regression.SoftmaxRegression;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train}: fits a softmax-regression classifier to a CSV file with L-BFGS and saves it as a
 * {@code .npz} model. Every input is read and checked before training starts; the model file is
 * written only at the end, whole.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        customSynopsis = {
            "softmax4j train --data TRAIN.csv --out MODEL.npz [--test TEST.csv]",
            "         [--label-column N|last] [--l2 L] [--label-smoothing EPS] [--epochs E]",
            "         [--tolerance T] [--patience P] [--seed S] [--verbose | --quiet]",
            "         [--no-progress] [--backend native|java] [--threads N]"},
        description = {"Train a softmax-regression classifier (L-BFGS, cross-entropy + L2) on a CSV file.",
                "Each line: the features, and an integer label in one column (by default the last).",
                "Get a data set to try with: softmax4j dataset digits --out-dir DIR"})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "TRAIN.csv", description = "Training data.")
    Path data;

    @Option(names = "--test", paramLabel = "TEST.csv", description = "Test data: prints the accuracy on it last.")
    Path test;

    @Option(names = "--label-column", paramLabel = "N|last", description = "0-based column of the label, or last (default).")
    String labelColumn = "last";

    @Option(names = "--epochs", paramLabel = "E", description = "At most E epochs (L-BFGS iterations; default: ${DEFAULT-VALUE}).")
    int epochs = 1000;

    @Option(names = "--l2", paramLabel = "L", description = "L2 penalty λ of (λ/2)‖W‖² (default: ${DEFAULT-VALUE}).")
    double l2 = 0.01;

    @Option(names = "--label-smoothing", paramLabel = "EPS", description = "Label smoothing ε in [0, 1] (default: ${DEFAULT-VALUE}).")
    double labelSmoothing = 0;

    @Option(names = "--tolerance", paramLabel = "T", description = "Early stopping: relative loss improvement counted as none (default: ${DEFAULT-VALUE}).")
    double tolerance = 1e-10;

    @Option(names = "--patience", paramLabel = "P", description = "Early stopping: epochs without improvement (default: ${DEFAULT-VALUE}).")
    int patience = 10;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the initial weights (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--no-progress", description = "No progress bar (otherwise drawn on stderr when it is a terminal).")
    boolean noProgress;

    @Option(names = {"-v", "--verbose"}, description = "Log every epoch (by default, about "
            + TrainingProgress.LINES + " lines: epoch 1 and every 1, 2 or 5 × 10^k epochs).")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Print only the results: no log, no progress bar.")
    boolean quiet;

    @Option(names = "--out", required = true, paramLabel = "MODEL.npz", description = "Where to save the model (replaced only on success).")
    Path out;

    @Mixin
    BackendOptions backend = new BackendOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        int column = parseLabelColumn(labelColumn);
        if (verbose && quiet) throw new IllegalArgumentException("--verbose and --quiet are exclusive");
        // Every option and file is checked before the (long) training starts: the output first,
        // so that a mistyped path costs nothing.
        Outputs.check("--out", out, data, test);
        SoftmaxRegression regression = SoftmaxRegression.create().withL2(l2).withLabelSmoothing(labelSmoothing)
                .withMaxEpochs(epochs).withTolerance(tolerance).withPatience(patience).withSeed(seed);
        Softmax s = backend.softmax();
        Dataset train = Dataset.readCsv(data, column);
        Dataset testSet = test == null ? null : Dataset.readCsv(test, column);
        if (testSet != null) {
            if (testSet.features() != train.features()) {
                throw new IllegalArgumentException(test + ": " + testSet.features() + " features, the training data has "
                        + train.features());
            }
            if (testSet.classes() > train.classes()) {
                throw new IllegalArgumentException(test + ": label " + (testSet.classes() - 1)
                        + " is not a class of the training data (0.." + (train.classes() - 1) + ")");
            }
        }
        var o = spec.commandLine().getOut();
        var e = spec.commandLine().getErr();
        if (!quiet) {
            o.printf("training on %s: %d rows, %d features, %d classes; λ = %s, backend %s%n", data, train.rows(),
                    train.features(), train.classes(), l2, s.backend().name().toLowerCase());
        }
        var verbosity = quiet ? TrainingProgress.Verbosity.QUIET
                : verbose ? TrainingProgress.Verbosity.VERBOSE : TrainingProgress.Verbosity.NORMAL;
        boolean bar = !noProgress && !quiet && Main.of(spec).errIsTerminal;
        SoftmaxClassifier model;
        try (TrainingProgress progress = new TrainingProgress(o, e, epochs, verbosity, bar)) {
            model = regression.withBackend(s).withListener(progress).fit(train);
        }
        try (model) {
            model.save(out);
            o.printf("saved %s%n", out);
            o.printf("train accuracy: %.4f%n", train.accuracy(model));
            if (testSet != null) o.printf("test accuracy: %.4f%n", testSet.accuracy(model));
        }
        return 0;
    }

    static int parseLabelColumn(String s) {
        if (s.equals("last")) return Dataset.LAST_COLUMN;
        try {
            int c = Integer.parseInt(s);
            if (c >= 0) return c;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--label-column must be a column number >= 0 or 'last', got '" + s + "'");
    }
}
