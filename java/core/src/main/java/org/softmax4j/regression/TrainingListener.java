package org.softmax4j.regression;

/** Follows {@link SoftmaxRegression#fit training}: called on the training thread. */
@FunctionalInterface
public interface TrainingListener {

    /** Why training stopped. */
    enum Stop {
        /** The gradient's largest component fell to the gradient tolerance: a minimum. */
        CONVERGED,
        /** The loss improved by less than the relative tolerance for {@code patience} epochs in a row. */
        NO_IMPROVEMENT,
        /** The epoch limit was reached. */
        MAX_EPOCHS,
        /** No step along the search direction lowered the loss: it is minimal to rounding. */
        NO_DESCENT
    }

    /**
     * After each epoch.
     *
     * @param epoch the epoch's number, loss, gradient norm and function evaluations
     */
    void onEpoch(Epoch epoch);

    /**
     * Once, at the end; {@code last} is the last epoch's report (epoch 0 if none ran).
     *
     * @param reason why training stopped
     * @param last the last epoch's report
     */
    default void onStop(Stop reason, Epoch last) {}
}
