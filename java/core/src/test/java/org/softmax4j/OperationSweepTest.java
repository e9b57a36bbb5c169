package org.softmax4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The boundary cases of {@link OperationFuzzTest}, drawn from a seeded random source instead of a
 * fuzzer: every entry point × every storage {@link Kind} this JVM can make (the operands of a
 * case may mix kinds) × both backends.
 *
 * <p>{@code -Dsoftmax4j.fuzz.tries=N} cases per entry point (default {@value #DEFAULT_TRIES},
 * enough for a plain build; the long run uses 100000), spread evenly over the kinds, each run on
 * every backend; {@code -Dsoftmax4j.sweep.seed=S} for another sequence;
 * {@code -Dsoftmax4j.sweep.entry=NAME[,NAME…]} for some entry points. A failure names the case and its
 * index, so it can be replayed. At the end the run prints, per entry point, how many cases it
 * drew and how they ended (valid, or which documented exception), on the first backend.
 * MemorySegment kinds run where their adapter can (see {@link OperationCase#kindsHere()}).
 */
class OperationSweepTest {
    static final int DEFAULT_TRIES = 2000;

    /** entry → outcome ("valid" or an exception's simple name) → cases. */
    private static final Map<String, Map<String, Long>> TALLY = new TreeMap<>();

    /** Cases per entry point for this run. */
    static int tries(int defaultTries) {
        return Integer.getInteger("softmax4j.fuzz.tries", defaultTries);
    }

    /** Of {@code tries} per entry point, the share of one of {@code kinds} kinds (rounded up). */
    static int perKind(int tries, int kinds) {
        return (tries + kinds - 1) / kinds;
    }

    static Stream<Arguments> targets() {
        String only = System.getProperty("softmax4j.sweep.entry");
        List<Arguments> all = new ArrayList<>();
        for (OperationCase.Entry e : OperationCase.Entry.values()) {
            if (only != null && !java.util.Arrays.asList(only.split(",")).contains(e.name())) continue;
            for (Kind k : OperationCase.kindsHere()) all.add(Arguments.of(e, k));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targets")
    void sweep(OperationCase.Entry entry, Kind kind) {
        sweep(entry, kind, perKind(tries(DEFAULT_TRIES), OperationCase.kindsHere().size()));
    }

    /** {@code cases} cases of one entry point and kind, on every available backend. */
    static void sweep(OperationCase.Entry entry, Kind kind, int cases) {
        long seed = Long.getLong("softmax4j.sweep.seed", 20261130L) * 31 + entry.ordinal() * 17L + kind.ordinal();
        Choices choices = Choices.of(new SplittableRandom(seed));
        Map<String, Long> outcomes = new TreeMap<>();
        for (int i = 0; i < cases; i++) {
            OperationCase c = OperationCase.draw(entry, kind.storage, kind.type, choices);
            String outcome = null;
            for (Softmax s : BoundaryFuzzTest.backends()) {
                try {
                    Class<? extends RuntimeException> thrown = OperationCheck.run(s, c);
                    if (outcome == null) outcome = thrown == null ? "valid" : thrown.getSimpleName();
                } catch (AssertionError e) {
                    throw new AssertionError("case " + i + " of seed " + seed + ": " + e.getMessage(), e);
                }
            }
            outcomes.merge(outcome, 1L, Long::sum);
        }
        synchronized (TALLY) {
            Map<String, Long> t = TALLY.computeIfAbsent(entry.name(), e -> new TreeMap<>());
            outcomes.forEach((k, v) -> t.merge(k, v, Long::sum));
        }
        if (cases >= 10_000) System.out.println("OperationSweepTest: " + entry + " " + kind + " " + cases + " " + outcomes);
    }

    @AfterAll
    static void report() {
        StringBuilder sb = new StringBuilder("OperationSweepTest: cases per entry point (each on "
                + BoundaryFuzzTest.backends().size() + " backends, kinds " + OperationCase.kindsHere() + ")\n");
        synchronized (TALLY) {
            TALLY.forEach((entry, outcomes) -> {
                long total = outcomes.values().stream().mapToLong(Long::longValue).sum();
                var numeric = OperationCheck.NUMERIC.get(OperationCase.Entry.valueOf(entry));
                sb.append(String.format("  %-22s %9d  %s; native valid cases held to a numeric bound: %d%n", entry,
                        total, outcomes, numeric == null ? 0 : numeric.sum()));
            });
        }
        System.out.print(sb);
    }
}
