package org.softmax4j.cli;

import java.io.PrintWriter;

import org.softmax4j.regression.Epoch;
import org.softmax4j.regression.TrainingListener;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * What {@code train} shows while it trains. On stdout, a log: a line every {@link #interval}
 * epochs (every epoch when verbose, none when quiet) and the reason training stopped. On stderr,
 * only when it is a terminal, a progress bar (me.tongfei:progressbar) redrawn in place: a log file
 * or a pipe gets neither carriage returns nor escape codes.
 *
 * <p>The bar is rendered through our own consumer rather than the library's console one, which
 * would probe the terminal through JLine; before each log line the bar's line is cleared, so the
 * two streams do not write over each other on a terminal.
 */
final class TrainingProgress implements TrainingListener, AutoCloseable {

    /** How much of the log is printed. */
    enum Verbosity {
        /** Nothing while training. */
        QUIET,
        /** A line every {@link #interval(int)} epochs, and how training stopped. */
        NORMAL,
        /** A line every epoch, and how training stopped. */
        VERBOSE
    }

    /** About this many epoch lines at most, by default. */
    static final int LINES = 20;

    private final PrintWriter out;
    private final PrintWriter err;
    private final Verbosity verbosity;
    private final int every;
    private final ProgressBar bar;
    private final Object lock = new Object();
    private int drawn;

    /**
     * @param bar whether to draw a progress bar on {@code err}: only if it is a terminal
     */
    TrainingProgress(PrintWriter out, PrintWriter err, int maxEpochs, Verbosity verbosity, boolean bar) {
        this.out = out;
        this.err = err;
        this.verbosity = verbosity;
        this.every = verbosity == Verbosity.VERBOSE ? 1 : interval(maxEpochs);
        this.bar = bar
                ? new ProgressBarBuilder().setTaskName("train").setInitialMax(maxEpochs).setUnit(" epochs", 1)
                        .setUpdateIntervalMillis(200).setMaxRenderedLength(100)
                        .setConsumer(new DelegatingProgressBarConsumer(this::draw, 100)).build()
                : null;
    }

    /**
     * Epochs between two log lines: the smallest of 1, 2, 5, 10, 20, 50, ... that keeps the log
     * of {@code maxEpochs} epochs to about {@link #LINES} lines (1,000 epochs: every 50th).
     */
    static int interval(int maxEpochs) {
        double raw = (double) maxEpochs / LINES;
        for (long decade = 1; ; decade *= 10) {
            for (int step : new int[] {1, 2, 5}) {
                if (step * decade >= raw || step * decade >= Integer.MAX_VALUE / 10) return (int) (step * decade);
            }
        }
    }

    private void draw(String rendered) {
        synchronized (lock) {
            err.print("\r" + rendered);
            err.flush();
            drawn = rendered.length();
        }
    }

    private void clearBar() {
        if (drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }

    /** A line on stdout, above the bar. */
    void println(String line) {
        synchronized (lock) {
            clearBar();
            out.println(line);
            out.flush();
        }
    }

    @Override
    public void onEpoch(Epoch e) {
        if (verbosity != Verbosity.QUIET && (e.epoch() == 1 || e.epoch() % every == 0)) println(line(e));
        if (bar != null) {
            bar.stepTo(e.epoch());
            bar.setExtraMessage(String.format("loss %.6f", e.loss()));
        }
    }

    static String line(Epoch e) {
        return String.format("epoch %d  loss %.8f  gradient %.3e", e.epoch(), e.loss(), e.gradientNorm());
    }

    @Override
    public void onStop(Stop reason, Epoch last) {
        if (bar != null) {
            bar.maxHint(Math.max(1, last.epoch()));
            bar.stepTo(last.epoch());
        }
        if (verbosity == Verbosity.QUIET) return;
        println("stopped after " + last.epoch() + " epochs: " + switch (reason) {
            case CONVERGED -> "converged (gradient below tolerance)";
            case NO_IMPROVEMENT -> "no improvement (early stopping)";
            case MAX_EPOCHS -> "epoch limit reached";
            case NO_DESCENT -> "no step lowers the loss any more";
        } + String.format(", loss %.8f", last.loss()));
    }

    /** Stops the bar's refresh thread and leaves the bar's last state on its own line. */
    @Override
    public void close() {
        if (bar == null) return;
        bar.close();
        synchronized (lock) {
            if (drawn > 0) {
                err.println();
                err.flush();
                drawn = 0;
            }
        }
    }
}
