package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `train` prints (issue 12: 1,000 epoch lines, and the progress bar's carriage returns and
 * escape codes in a redirected stderr): a summary line every so many epochs, all of them with
 * --verbose, none with --quiet, and a bar only on a terminal.
 */
class TrainLogTest {
    @TempDir
    Path dir;

    Path csv;

    /** Overlapping classes, features of very different scales: training takes many epochs. */
    @BeforeEach
    void data() throws IOException {
        java.util.Random r = new java.util.Random(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            int c = i % 3;
            sb.append((c + r.nextGaussian()) * 1e3).append(',').append(r.nextGaussian() * 1e-3).append(',').append(c).append('\n');
        }
        csv = Files.writeString(dir.resolve("d.csv"), sb);
    }

    private String[] train(int epochs, String... more) {
        String[] base = {"train", "--data", csv.toString(), "--epochs", String.valueOf(epochs), "--tolerance", "0",
                "--patience", String.valueOf(epochs), "--l2", "0", "--out", dir.resolve("m.npz").toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static final Pattern EPOCH = Pattern.compile("epoch (\\d+)  loss \\d+\\.\\d{8}  gradient \\d\\.\\d{3}e[-+]\\d+");
    private static final Pattern CONTROL = Pattern.compile("[\\r\\u001b]");

    /** The epoch numbers logged. */
    private static List<Integer> epochs(String out) {
        return out.lines().filter(l -> l.startsWith("epoch ")).map(l -> {
            var m = EPOCH.matcher(l);
            assertTrue(m.matches(), l);
            return Integer.parseInt(m.group(1));
        }).toList();
    }

    private static int stoppedAfter(String out) {
        var m = Pattern.compile("(?m)^stopped after (\\d+) epochs: ").matcher(out);
        assertTrue(m.find(), out);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void byDefaultALineEverySoManyEpochsAndNoBarOffATerminal() {
        CliTest.Result r = CliTest.run(train(200));
        assertEquals(0, r.code(), r.err());
        assertEquals(10, TrainingProgress.interval(200));
        assertEquals(expectedLines(10, stoppedAfter(r.out())), epochs(r.out()));
        assertTrue(stoppedAfter(r.out()) >= 50, "the data keeps training going: " + r.out());
        assertEquals("", r.err(), "stderr is not a terminal: no bar");
        assertFalse(CONTROL.matcher(r.out()).find(), "no carriage returns or escape codes in the log");
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("train accuracy: \\d\\.\\d{4}"), r.out());
    }

    /** Epoch 1, then every {@code every}-th epoch up to the last. */
    private static List<Integer> expectedLines(int every, int last) {
        List<Integer> e = new java.util.ArrayList<>(List.of(1));
        for (int k = every; k <= last; k += every) if (k > 1) e.add(k);
        return e;
    }

    @Test
    void verboseLogsEveryEpoch() {
        CliTest.Result r = CliTest.run(train(40, "--verbose"));
        assertEquals(0, r.code(), r.err());
        int last = stoppedAfter(r.out());
        assertEquals(java.util.stream.IntStream.rangeClosed(1, last).boxed().toList(), epochs(r.out()));
    }

    @Test
    void quietPrintsOnlyTheResults() {
        CliTest.Result r = CliTest.run(train(40, "--quiet"));
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        assertEquals("saved " + dir.resolve("m.npz"), lines.get(0));
        assertTrue(lines.get(1).matches("train accuracy: \\d\\.\\d{4}"), lines.get(1));
        assertEquals("", r.err());
        CliTest.fails(CliTest.run(train(40, "--quiet", "--verbose")), "--verbose and --quiet are exclusive");
    }

    /** On a terminal the bar is drawn on stderr, in place, and the log on stdout is the same. */
    @Test
    void onATerminalTheBarIsDrawnOnStderr() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), true, train(40));
        assertEquals(0, code, err.toString());
        assertTrue(err.toString().contains("\r") && err.toString().contains("train"), err.toString());
        assertTrue(err.toString().contains("epochs"), err.toString());
        assertFalse(CONTROL.matcher(out.toString()).find(), "the log stays clean");
        assertEquals(expectedLines(2, stoppedAfter(out.toString())), epochs(out.toString()));
        StringWriter out2 = new StringWriter(), err2 = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out2, true), new PrintWriter(err2, true), true, train(40, "--no-progress")));
        assertEquals("", err2.toString());
    }

    @Test
    void theIntervalIsARoundNumberGivingAboutTwentyLines() {
        assertEquals(1, TrainingProgress.interval(1));
        assertEquals(1, TrainingProgress.interval(20));
        assertEquals(2, TrainingProgress.interval(21));
        assertEquals(2, TrainingProgress.interval(40));
        assertEquals(5, TrainingProgress.interval(100));
        assertEquals(50, TrainingProgress.interval(1000));
        assertEquals(500, TrainingProgress.interval(10_000));
        assertEquals(2_000_000, TrainingProgress.interval(Integer.MAX_VALUE / 100));
        assertTrue(TrainingProgress.interval(Integer.MAX_VALUE) > 0);
    }
}
