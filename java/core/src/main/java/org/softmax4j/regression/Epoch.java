package org.softmax4j.regression;

/**
 * What one epoch of {@link SoftmaxRegression#fit training} reached. The optimiser is full-batch,
 * so an epoch is one L-BFGS iteration: one step, whose line search may evaluate the objective on
 * the whole training set more than once.
 *
 * @param epoch 1 for the first step
 * @param loss the objective after the step, L2 term included
 * @param gradientNorm the largest absolute component of its gradient
 * @param evaluations objective evaluations so far, the initial one included
 */
public record Epoch(int epoch, double loss, double gradientNorm, int evaluations) {}
