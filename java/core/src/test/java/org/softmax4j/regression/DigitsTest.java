package org.softmax4j.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.softmax4j.Batch;
import org.softmax4j.Softmax;

/**
 * Training on the shipped digits data set, against scikit-learn.
 *
 * <p><b>The scikit-learn figure.</b> Measured once on the build machine with Debian 12's
 * {@code python3-sklearn} 1.2.1 (NumPy 1.24.2, SciPy 1.10.1), on the same file and the same
 * split (first 1,347 rows to train, last 450 to test), with the same objective: our λ = 0.01
 * is scikit-learn's C = 1/(λ·n) = 1/(0.01 · 1347) = 0.07423904974016332 (scikit-learn minimises
 * C·Σ CE + ½‖W‖², ours (1/n)·Σ CE + (λ/2)‖W‖²; both leave the intercept unpenalised):
 * <pre>
 * /usr/bin/python3 -c "
 * import gzip, numpy as np; from sklearn.linear_model import LogisticRegression
 * d = np.loadtxt(gzip.open('java/core/src/main/resources/org/softmax4j/regression/data/digits.csv.gz'), delimiter=',')
 * X, y = d[:, :-1], d[:, -1].astype(int)
 * m = LogisticRegression(C=1/(0.01*1347), multi_class='multinomial', solver='lbfgs', max_iter=100000, tol=1e-10)
 * print(m.fit(X[:1347], y[:1347]).score(X[1347:], y[1347:]))"
 * </pre>
 * printed 0.9288888888888889 (418 of 450; training accuracy 1.0, objective 0.040180083 in our
 * scaling, after 886 iterations). softmax4j must come within one percentage point of it.
 */
class DigitsTest {
    static final double LAMBDA = 0.01;
    static final double SKLEARN_TEST_ACCURACY = 418.0 / 450;

    @Test
    void theSplitIsTheDocumentedOne() {
        Dataset all = Dataset.digits();
        assertEquals(1797, all.rows());
        assertEquals(64, all.features());
        assertEquals(10, all.classes());
        Dataset train = Dataset.digitsTrain();
        Dataset test = Dataset.digitsTest();
        assertEquals(1347, train.rows());
        assertEquals(450, test.rows());
        assertArrayEquals(java.util.Arrays.copyOfRange(all.x(), 1347 * 64, 1797 * 64), test.x());
        double max = 0;
        for (double v : all.x()) max = Math.max(max, v);
        assertEquals(16, max);
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void fitReachesScikitLearnsAccuracy(Softmax.Backend backend) {
        Dataset train = Dataset.digitsTrain();
        Dataset test = Dataset.digitsTest();
        List<Epoch> epochs = new ArrayList<>();
        TrainingListener.Stop[] stop = new TrainingListener.Stop[1];
        try (SoftmaxClassifier m = SoftmaxRegression.create().withL2(LAMBDA).withBackend(Backends.of(backend))
                .withListener(new TrainingListener() {
                    @Override
                    public void onEpoch(Epoch e) {
                        epochs.add(e);
                    }

                    @Override
                    public void onStop(Stop reason, Epoch last) {
                        stop[0] = reason;
                    }
                }).fit(train)) {
            double acc = test.accuracy(m);
            assertTrue(Math.abs(acc - SKLEARN_TEST_ACCURACY) <= 0.01,
                    () -> "test accuracy " + acc + " vs scikit-learn's " + SKLEARN_TEST_ACCURACY);
            assertEquals(1.0, train.accuracy(m));
            // Within 0.1 % of scikit-learn's minimum of the same objective (1,000 epochs).
            double loss = m.loss(Batch.of(train.x(), train.rows(), train.features()), train.labels(), Objective.crossEntropy().withL2(LAMBDA));
            assertTrue(loss < 0.040180083 * 1.001, "objective " + loss);
            assertEquals(loss, epochs.get(epochs.size() - 1).loss(), 1e-12);
        }
        assertTrue(stop[0] != null);
        for (int i = 0; i < epochs.size(); i++) {
            assertEquals(i + 1, epochs.get(i).epoch());
            if (i > 0) assertTrue(epochs.get(i).loss() <= epochs.get(i - 1).loss(), "the loss never rises");
        }
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void trainingIsDeterministicForASeed(Softmax.Backend backend) {
        Dataset train = Dataset.digitsTrain().slice(0, 400);
        SoftmaxRegression r = SoftmaxRegression.create().withL2(LAMBDA).withMaxEpochs(15).withBackend(Backends.of(backend));
        try (SoftmaxClassifier a = r.withSeed(7).fit(train);
             SoftmaxClassifier b = r.withSeed(7).fit(train);
             SoftmaxClassifier c = r.withSeed(8).fit(train)) {
            assertArrayEquals(a.weights(), b.weights());
            assertArrayEquals(a.bias(), b.bias());
            assertTrue(!java.util.Arrays.equals(a.weights(), c.weights()), "another seed, another start");
        }
    }

    @Test
    void earlyStoppingAndConvergence() {
        Dataset train = Dataset.digitsTrain().slice(0, 200);
        TrainingListener.Stop[] stop = new TrainingListener.Stop[1];
        int[] count = new int[1];
        TrainingListener l = new TrainingListener() {
            @Override
            public void onEpoch(Epoch e) {
                count[0]++;
            }

            @Override
            public void onStop(Stop reason, Epoch last) {
                stop[0] = reason;
                assertEquals(count[0], last.epoch());
            }
        };
        SoftmaxRegression r = SoftmaxRegression.create().withL2(LAMBDA).withBackend(Softmax.java()).withListener(l);
        // Any improvement below 100 % counts as none: stops after `patience` epochs.
        r.withTolerance(1).withPatience(3).fit(train).close();
        assertEquals(TrainingListener.Stop.NO_IMPROVEMENT, stop[0]);
        assertEquals(3, count[0]);
        count[0] = 0;
        r.withGradientTolerance(1e6).fit(train).close();
        assertEquals(TrainingListener.Stop.CONVERGED, stop[0]);
        assertEquals(0, count[0]);
        r.withMaxEpochs(4).fit(train).close();
        assertEquals(TrainingListener.Stop.MAX_EPOCHS, stop[0]);
        assertEquals(4, count[0]);
    }

    @Test
    void classWeightsAndSmoothingTrain() {
        Dataset train = Dataset.digitsTrain().slice(0, 300);
        double[] w = new double[10];
        java.util.Arrays.fill(w, 1);
        w[3] = 4;
        try (SoftmaxClassifier m = SoftmaxRegression.create().withL2(LAMBDA).withLabelSmoothing(0.1)
                .withClassWeights(w).withMaxEpochs(100).fit(train)) {
            assertTrue(Dataset.digitsTest().accuracy(m) > 0.8);
        }
    }
}
