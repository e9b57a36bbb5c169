package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.softmax4j.Softmax;

/** The demo's tables, read back as numbers, and its thread option. */
class DemoCommandTest {

    @AfterEach
    void defaultThreads() {
        if (Softmax.nativeUnavailableCause().isEmpty()) Softmax.nativeBackend().setThreads(0);
    }

    /** The rows of the table under the first line starting with {@code title}: label, then values. */
    private static List<String[]> table(String out, String title) {
        List<String> lines = out.lines().toList();
        int i = 0;
        while (!lines.get(i).startsWith(title)) i++;
        return lines.subList(i + 2, i + 5).stream().map(l -> l.strip().split("\\s+")).toList();
    }

    private static float[] values(String[] row) {
        float[] v = new float[row.length - 2]; // "row", "N", values...
        for (int i = 2; i < row.length; i++) v[i - 2] = Float.parseFloat(row[i]);
        return v;
    }

    /** Issue 12: "-0.3133    -1.3133-10000.3135-20000.3125" — the columns must stay apart. */
    @Test
    void everyTableReadsBackAsTheNumbersTheLibraryComputes() {
        CliTest.Result r = CliTest.run("demo", "--backend", "java");
        assertEquals(0, r.code(), r.err());
        float[] logits = {3.2f, 1.1f, 0.4f, -1.0f, 0.5f, 0.4f, 0.3f, 0.2f, 1e4f, 1e4f - 1f, 0f, -1e4f};
        float[] p = new float[12], lp = new float[12];
        Softmax.java().softmax(3, 4, logits, p);
        Softmax.java().logSoftmax(3, 4, logits, lp);
        String[][] titles = {{"Logits"}, {"softmax "}, {"log-softmax "}};
        float[][] expected = {logits, p, lp};
        double[] tolerance = {0.05, 5e-5, 5e-5}; // the printed decimals
        for (int t = 0; t < titles.length; t++) {
            List<String[]> rows = table(r.out(), titles[t][0]);
            for (int row = 0; row < 3; row++) {
                String[] cells = rows.get(row);
                assertEquals(6, cells.length, () -> "row label and 4 columns: " + Arrays.toString(cells));
                float[] got = values(cells);
                for (int j = 0; j < 4; j++) {
                    assertEquals(expected[t][row * 4 + j], got[j], tolerance[t] * Math.max(1, Math.abs(got[j])),
                            titles[t][0] + " row " + (row + 1) + " column " + (j + 1));
                }
            }
        }
        assertTrue(r.out().contains("-10000.3135") && r.out().contains("-20000.3125"), r.out());
    }

    @Test
    void columnsAreAsWideAsTheirWidestCellAndAligned() {
        StringWriter s = new StringWriter();
        new TextTable(1).row("", "cat", "dog").row("row 1", "-0.3133", "-1.3133").row("row 3", "-10000.3135", "-20000.3125")
                .print(new PrintWriter(s, true), "  ");
        assertEquals(List.of(
                "                 cat          dog",
                "  row 1      -0.3133      -1.3133",
                "  row 3  -10000.3135  -20000.3125"), s.toString().lines().toList());
    }

    /** Issue 12: the demo named --threads, and `demo --threads 1` failed with "Unknown options". */
    @Test
    void threadsAsTheHintSays() {
        CliTest.Result r = CliTest.run("demo", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        if (Softmax.nativeUnavailableCause().isEmpty()) {
            assertTrue(r.out().contains("native (") && r.out().contains(", 1 threads)"), r.out());
            assertTrue(r.out().contains("(1 OpenMP threads; change with --threads N"), r.out());
        }
        CliTest.fails(CliTest.run("demo", "--threads", "0"), "--threads must be >= 1");
    }

    /** Every command that computes takes --threads; the others do not pretend to. */
    @Test
    void everyCommandThatComputesTakesThreads() {
        picocli.CommandLine cl = new picocli.CommandLine(new Main());
        for (String c : List.of("demo", "apply", "sample", "bench", "train", "predict")) {
            assertTrue(cl.getSubcommands().get(c).getCommandSpec().findOption("--threads") != null, c);
        }
        for (String c : List.of("info", "dataset")) {
            assertTrue(cl.getSubcommands().get(c).getCommandSpec().findOption("--threads") == null, c);
        }
        assertArrayEquals(new String[] {"demo", "info", "apply", "sample", "bench", "train", "predict", "dataset", "help"},
                cl.getSubcommands().keySet().toArray(String[]::new), "a new command must be added to this test");
    }
}
