package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.io.Npy;

/**
 * Every command that writes files checks where before it starts working, the same way, and says
 * what is wrong in words: "cannot write /x/m.npz: the folder /x does not exist" rather than the
 * name of a temporary file, after every epoch has run (issue 12).
 */
class OutputLocationTest {
    @TempDir
    Path dir;

    Path csv, x, model;

    @BeforeEach
    void inputs() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) sb.append(i % 2).append(',').append(i % 2 * 3 + i * 0.01).append('\n');
        csv = Files.writeString(dir.resolve("train.csv"), sb);
        x = dir.resolve("x.npy");
        Npy.write(x, Npy.Array.of(new float[] {1, 2, 3, 4}, 2, 2));
        model = dir.resolve("m.npz");
        assertEquals(0, CliTest.run("train", "--data", csv.toString(), "--label-column", "0", "--epochs", "3",
                "--quiet", "--out", model.toString()).code());
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }

    /** Each command with its output in {@code out}: arguments, and the option that names it. */
    private List<String[]> commands(Path out) {
        List<String[]> c = new ArrayList<>();
        c.add(new String[] {"apply", "--op", "softmax", "--in", x.toString(), "--out", out.toString()});
        c.add(new String[] {"predict", "--model", model.toString(), "--in", x.toString(), "--out", out.toString()});
        c.add(new String[] {"train", "--data", csv.toString(), "--label-column", "0", "--epochs", "500",
                "--tolerance", "0", "--patience", "500", "--out", out.toString()});
        c.add(new String[] {"bench", "--quick", "--shapes", "2x8", "--forks", "0", "--iteration-ms", "2000",
                "--json", out.toString()});
        c.add(new String[] {"bench", "--quick", "--shapes", "2x8", "--forks", "0", "--iteration-ms", "2000",
                "--plot", out.toString()});
        return c;
    }

    /**
     * A failure before any work: one line saying why, nothing on stdout (no training log, no
     * bench header), no file left, in far less time than the work (train: 500 epochs; bench:
     * seconds of iterations).
     */
    private void failsBeforeWorking(String[] args, String message) throws IOException {
        List<Path> before = files();
        long t0 = System.nanoTime();
        CliTest.Result r = CliTest.run(args);
        double seconds = (System.nanoTime() - t0) / 1e9;
        CliTest.fails(r, message);
        assertEquals("softmax4j: " + message, r.err().strip(), String.join(" ", args));
        assertEquals("", r.out(), () -> args[0] + " started working: " + r.out());
        assertTrue(seconds < 2, args[0] + " took " + seconds + " s before failing");
        assertEquals(before, files(), "no file left behind");
    }

    @Test
    void aMissingFolderIsNamedBeforeAnyWork() throws IOException {
        Path out = dir.resolve("nonexistent/out.npy");
        for (String[] args : commands(out)) {
            failsBeforeWorking(args, "cannot write " + out + ": the folder " + out.getParent() + " does not exist");
        }
    }

    @Test
    void aFileInPlaceOfTheFolderIsNamedBeforeAnyWork() throws IOException {
        Path out = x.resolve("out.npy");
        for (String[] args : commands(out)) {
            failsBeforeWorking(args, "cannot write " + out + ": " + x + " is a file, not a folder");
        }
    }

    @Test
    void aFolderInPlaceOfTheFileIsNamedBeforeAnyWork() throws IOException {
        Path out = Files.createDirectory(dir.resolve("a-folder"));
        for (String[] args : commands(out)) failsBeforeWorking(args, "cannot write " + out + ": it is a folder");
    }

    @Test
    void anInputIsNeverTheOutput() throws IOException {
        failsBeforeWorking(new String[] {"predict", "--model", model.toString(), "--in", x.toString(), "--out", x.toString()},
                "--out " + x + " is the input file " + x + "; write the result elsewhere");
        failsBeforeWorking(new String[] {"predict", "--model", model.toString(), "--in", x.toString(), "--out", model.toString()},
                "--out " + model + " is the input file " + model + "; write the result elsewhere");
        failsBeforeWorking(new String[] {"train", "--data", csv.toString(), "--label-column", "0", "--out", csv.toString()},
                "--out " + csv + " is the input file " + csv + "; write the result elsewhere");
        Path results = Files.writeString(dir.resolve("r.jsonl"), "");
        failsBeforeWorking(new String[] {"bench", "--from", results.toString(), "--json", results.toString()},
                "--json " + results + " is the input file " + results + "; write the result elsewhere");
    }

    /** `dataset` creates its folder, but no missing parents: a mistyped path is an error, as elsewhere. */
    @Test
    void datasetMakesItsFolderButNotItsParents() throws IOException {
        Path deep = dir.resolve("typo/digits");
        failsBeforeWorking(new String[] {"dataset", "digits", "--out-dir", deep.toString()},
                "cannot write to " + deep + ": the folder " + deep.getParent() + " does not exist");
        failsBeforeWorking(new String[] {"dataset", "digits", "--out-dir", x.toString()},
                "cannot write to " + x + ": it is a file, not a folder");
        Path d = dir.resolve("digits");
        Files.createDirectories(d.resolve("test.csv"));
        failsBeforeWorking(new String[] {"dataset", "digits", "--out-dir", d.toString()},
                "cannot write " + d.resolve("test.csv") + ": it is a folder");
        assertFalse(Files.exists(d.resolve("train.csv")), "neither file is written when one cannot be");
    }

    /** Issue 12: `dataset --out-dir D` wrote its CSV files with mode 0600. */
    @Test
    void datasetFilesReadLikeAnyNewFile() throws IOException {
        Path d = dir.resolve("digits");
        CliTest.Result r = CliTest.run("dataset", "digits", "--out-dir", d.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isDirectory(d));
        try (Stream<Path> s = Files.list(d)) {
            assertEquals(List.of(d.resolve("test.csv"), d.resolve("train.csv")), s.sorted().toList());
        }
        assumeTrue(Files.getFileStore(d).supportsFileAttributeView("posix"), "POSIX permissions");
        for (String f : new String[] {"train.csv", "test.csv"}) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.resolve(f))), f);
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(model)), "train's model");
    }
}
