package org.softmax4j;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link OperationSweepTest} for the storage kinds that only the packaged jar can make (Failsafe
 * puts it on the class path; on JDK 22+ its {@code META-INF/versions/22} adds MemorySegments):
 * every entry point over each {@link Kind} that {@link OperationCase#kindsHere()} finds here and
 * {@link Allocation} does not build itself, as many cases per kind as the unit sweep gives each of
 * its kinds. No such kind, no test: the unit sweep has covered the others.
 */
class OperationSweepIT {

    @TestFactory
    List<DynamicTest> sweep() {
        List<Kind> extra = new ArrayList<>();
        for (Kind k : OperationCase.kindsHere()) if (!Allocation.guarded(k.storage)) extra.add(k);
        int cases = OperationSweepTest.perKind(OperationSweepTest.tries(OperationSweepTest.DEFAULT_TRIES),
                Math.max(1, OperationCase.kindsHere().size() - extra.size()));
        List<DynamicTest> tests = new ArrayList<>();
        for (OperationCase.Entry e : OperationCase.Entry.values()) {
            for (Kind k : extra) tests.add(DynamicTest.dynamicTest(e + " " + k, () -> OperationSweepTest.sweep(e, k, cases)));
        }
        return tests;
    }

    @AfterAll
    static void report() {
        OperationSweepTest.report();
    }
}
