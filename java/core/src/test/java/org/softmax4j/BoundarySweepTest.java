package org.softmax4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.softmax4j.backend.Op;

/**
 * The boundary cases of {@link BoundaryFuzzTest}, drawn from a seeded random source instead of a
 * fuzzer: every operation × buffer kind × backend, {@value #DEFAULT_CASES} cases each by default
 * ({@code -Dsoftmax4j.sweep.cases=N} for more, {@code -Dsoftmax4j.sweep.seed=S} for another
 * sequence). A failure names the case and its index, so it can be replayed.
 */
class BoundarySweepTest {
    static final int DEFAULT_CASES = 200;

    static Stream<Arguments> targets() {
        List<Arguments> all = new ArrayList<>();
        for (Kind k : Kind.values()) for (Op op : TestSupport.ROW_OPS) all.add(Arguments.of(op, k));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targets")
    void sweep(Op op, Kind kind) {
        int cases = Integer.getInteger("softmax4j.sweep.cases", DEFAULT_CASES);
        long seed = Long.getLong("softmax4j.sweep.seed", 20240611L) * 31 + op.ordinal() * 17 + kind.ordinal();
        Random random = new Random(seed);
        Choices choices = Choices.of(random);
        for (int i = 0; i < cases; i++) {
            BoundaryCase c = BoundaryCase.draw(op, kind, choices);
            for (Softmax s : BoundaryFuzzTest.backends()) {
                try {
                    BoundaryCheck.run(s, c);
                } catch (AssertionError e) {
                    throw new AssertionError("case " + i + " of seed " + seed + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
