package org.softmax4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.softmax4j.internal.AtomicFiles;
import org.softmax4j.internal.Outputs;
import org.softmax4j.regression.Dataset;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataset digits --out-dir DIR}: writes the shipped data set as {@code train.csv} and
 * {@code test.csv}, so that {@code train} can be tried on a fresh machine. Each file is written
 * whole or not at all.
 */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        customSynopsis = "softmax4j dataset NAME --out-dir DIR",
        description = {"Write a shipped data set as CSV files (features, then the label).",
                "digits: UCI optical recognition of handwritten digits (Alpaydin & Kaynak, CC BY 4.0), the 1,797-image "
                        + "test part as shipped by scikit-learn; train.csv = first 1,347 rows, test.csv = last 450."})
final class DatasetCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The data set: digits.")
    String name;

    @Option(names = "--out-dir", required = true, paramLabel = "DIR", description = "Folder for train.csv and test.csv; created if missing, but its parent folder must exist.")
    Path outDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!name.equals("digits")) {
            throw new IllegalArgumentException("unknown data set '" + name + "' (available: digits)");
        }
        Path trainCsv = outDir.resolve("train.csv");
        Path testCsv = outDir.resolve("test.csv");
        // The folder itself may be new, but not its parent: a mistyped path is an error, not a
        // tree of new folders. Both files are checked before either is written.
        AtomicFiles.checkFolder(outDir);
        if (Files.isDirectory(outDir)) {
            Outputs.check("--out-dir", trainCsv);
            Outputs.check("--out-dir", testCsv);
        }
        AtomicFiles.createFolder(outDir);
        Dataset train = Dataset.digitsTrain();
        Dataset test = Dataset.digitsTest();
        train.writeCsv(trainCsv);
        test.writeCsv(testCsv);
        var o = spec.commandLine().getOut();
        o.printf("wrote %s (%d rows) and %s (%d rows): %d features, %d classes, label in the last column%n", trainCsv,
                train.rows(), testCsv, test.rows(), train.features(), train.classes());
        o.println("source: UCI Optical Recognition of Handwritten Digits (E. Alpaydin, C. Kaynak, 1998), CC BY 4.0,"
                + " via Debian's python3-sklearn");
        return 0;
    }
}
