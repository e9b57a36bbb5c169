package org.softmax4j.cli;

import java.io.PrintWriter;

import org.softmax4j.regression.Epoch;
import org.softmax4j.regression.TrainingListener;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * What {@code train} shows while it trains: one line per epoch with the loss on stdout, and a
 * progress bar (me.tongfei:progressbar) redrawn in place on stderr, so that stdout stays a clean
 * log. The bar is rendered through our own consumer rather than the library's console one, which
 * would probe the terminal through JLine; before each log line the bar's line is cleared, so the
 * two streams do not write over each other on a terminal.
 */
final class TrainingProgress implements TrainingListener, AutoCloseable {
    private final PrintWriter out;
    private final PrintWriter err;
    private final ProgressBar bar;
    private final Object lock = new Object();
    private int drawn;

    TrainingProgress(PrintWriter out, PrintWriter err, int maxEpochs, boolean showBar) {
        this.out = out;
        this.err = err;
        this.bar = showBar
                ? new ProgressBarBuilder().setTaskName("train").setInitialMax(maxEpochs).setUnit(" epochs", 1)
                        .setUpdateIntervalMillis(200).setMaxRenderedLength(100)
                        .setConsumer(new DelegatingProgressBarConsumer(this::draw, 100)).build()
                : null;
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
        println(String.format("epoch %d  loss %.8f  gradient %.3e", e.epoch(), e.loss(), e.gradientNorm()));
        if (bar != null) {
            bar.stepTo(e.epoch());
            bar.setExtraMessage(String.format("loss %.6f", e.loss()));
        }
    }

    @Override
    public void onStop(Stop reason, Epoch last) {
        if (bar != null) {
            bar.maxHint(Math.max(1, last.epoch()));
            bar.stepTo(last.epoch());
        }
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
