package org.softmax4j.regression;

/**
 * The value of an {@link Objective} at a classifier and its gradient.
 *
 * @param loss the objective, L2 term included
 * @param weights ∂L/∂W, classes × features, row-major
 * @param bias ∂L/∂b, one value per class
 */
public record Gradient(double loss, double[] weights, double[] bias) {}
