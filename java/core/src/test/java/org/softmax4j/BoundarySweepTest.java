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
 * ({@code -Dsoftmax4j.fuzz.tries=N} for N per operation, spread over the kinds, as
 * {@link OperationSweepTest} takes it; {@code -Dsoftmax4j.sweep.cases=N} for N per operation and
 * kind; {@code -Dsoftmax4j.sweep.seed=S} for another sequence). A failure names the case and its
 * index, so it can be replayed.
 */
class BoundarySweepTest {
    static final int DEFAULT_CASES = 200;

    static Stream<Arguments> targets() {
        List<Arguments> all = new ArrayList<>();
        for (Kind k : Kind.available()) {
            if (k.isSegment()) continue;  // segments: SegmentIT and the operation sweeps, on the packaged jar
            for (Op op : TestSupport.ROW_OPS) all.add(Arguments.of(op, k));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targets")
    void sweep(Op op, Kind kind) {
        // softmax4j.fuzz.tries is per operation, spread over the kinds, as in OperationSweepTest.
        int kinds = Kind.values().length;
        int cases = Integer.getInteger("softmax4j.sweep.cases",
                OperationSweepTest.perKind(OperationSweepTest.tries(DEFAULT_CASES * kinds), kinds));
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
        if (cases >= 10_000) System.out.println("BoundarySweepTest: " + op + " " + kind + " " + cases + " cases");
    }
}
