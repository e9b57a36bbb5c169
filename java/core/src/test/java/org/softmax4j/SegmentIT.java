package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MemorySegment batches, on the packaged multi-release jar (Failsafe; JDK 22+, where
 * {@code org.softmax4j.Segments} exists): the segment kinds of the agreement and edge-case tests
 * of every operation, and the rules only segments have. Below JDK 22 it checks that segments are
 * absent.
 */
class SegmentIT {

    @BeforeAll
    static void segmentsHere() {
        if (Runtime.version().feature() >= 22 && !Boolean.getBoolean("softmax4j.test.java22Skipped")) {
            assertTrue(SegmentSupport.available(), "the jar's META-INF/versions/22 Segments must load on JDK 22+");
        }
    }

    /** The half-precision kinds of MemorySegment, as HalfPrecisionTest runs the others. */
    static Stream<Arguments> halfSegments() {
        assumeTrue(SegmentSupport.available(), "MemorySegments need JDK 22+ and the packaged jar");
        return HalfPrecisionTest.cases(java.util.List.of(TestStorage.SEGMENT, TestStorage.HEAP_SEGMENT));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
    @MethodSource("halfSegments")
    void halfPrecisionAgrees(Softmax.Backend b, TestStorage storage, ElementType type, ElementType out,
            HalfPrecisionTest.Call call) {
        HalfPrecisionTest.check(TestSupport.backend(b), storage, type, out, call);
    }

    @Test
    void absentBelowJdk22() {
        if (Runtime.version().feature() < 22) assertTrue(!SegmentSupport.available());
    }

    private static Stream<Arguments> segmentsOnly(Stream<Arguments> all, int kindIndex) {
        assumeTrue(SegmentSupport.available(), "MemorySegments need JDK 22+ and the packaged jar");
        return all.filter(a -> ((Kind) a.get()[kindIndex]).isSegment());
    }

    static Stream<Arguments> rowCases() {
        return segmentsOnly(AgreementTest.cases(), 1);
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("rowCases")
    void rowOperationsAgree(Softmax.Backend b, Kind k, org.softmax4j.backend.Op op, AgreementTest.Case c) {
        new AgreementTest().agreesWithReference(b, k, op, c);
    }

    static Stream<Arguments> operationCases() {
        return segmentsOnly(OperationAgreementTest.cases(), 1);
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("operationCases")
    void everyOperationAgrees(Softmax.Backend b, Kind k, OperationAgreementTest.Spec spec, OperationAgreementTest.Shape shape) {
        new OperationAgreementTest().agreesWithReference(b, k, spec, shape);
    }

    static Stream<Arguments> edgeRows() {
        return segmentsOnly(EdgeCaseTest.rows(), 1);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("edgeRows")
    void edgeRows(Softmax.Backend b, Kind k, EdgeCaseTest.Row row) {
        new EdgeCaseTest().row(b, k, row);
    }

    /** What only segments have: arenas that close and confine, heap segments, alignment. */
    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void segmentRules(Softmax.Backend backend) throws Exception {
        assumeTrue(SegmentSupport.available(), "MemorySegments need JDK 22+ and the packaged jar");
        Softmax s = TestSupport.backend(backend);
        Batch x = Batch.of(new float[12], 3, 4);
        try (SegmentSupport.Arena arena = SegmentSupport.sharedArena()) {
            Object seg = arena.allocate(48, 64);
            Batch y = SegmentSupport.batch(seg, ElementType.FLOAT32, 0, 3, 4, 4);
            s.softmax(x, y);
            TestSupport.rejects(IllegalArgumentException.class, "y is read-only",
                    () -> s.softmax(x, SegmentSupport.batch(SegmentSupport.readOnly(seg), ElementType.FLOAT32, 0, 3, 4, 4)));
            // A read-only native segment is a valid input.
            assertDoesNotThrow(() -> s.softmax(SegmentSupport.batch(SegmentSupport.readOnly(seg), ElementType.FLOAT32, 0, 3, 4, 4),
                    Batch.of(new float[12], 3, 4)));
            TestSupport.rejects(IllegalArgumentException.class, "aligned to 4 bytes",
                    () -> SegmentSupport.batch(SegmentSupport.slice(seg, 1, 40), ElementType.FLOAT32, 0, 2, 4, 4));
            TestSupport.rejects(IndexOutOfBoundsException.class, "segment needs 12 elements from offset 1 (3 rows of 4, stride 4) but has only 11",
                    () -> SegmentSupport.batch(seg, ElementType.FLOAT32, 1, 3, 4, 4));
            TestSupport.rejects(NullPointerException.class, "segment must not be null",
                    () -> SegmentSupport.batch(null, ElementType.FLOAT32, 0, 1, 1, 1));
            TestSupport.rejects(NullPointerException.class, "type must not be null",
                    () -> SegmentSupport.batch(seg, null, 0, 1, 1, 1));
            // Any element type: 12 floats are 6 doubles, 48 bools.
            assertDoesNotThrow(() -> SegmentSupport.batch(seg, ElementType.FLOAT64, 0, 2, 3, 3));
            assertDoesNotThrow(() -> SegmentSupport.batch(seg, ElementType.BOOL, 0, 4, 12, 12));
            arena.close();
            TestSupport.rejects(IllegalStateException.class, "y: the segment's arena is closed", () -> s.softmax(x, y));
            TestSupport.rejects(IllegalStateException.class, "arena is closed",
                    () -> SegmentSupport.batch(seg, ElementType.FLOAT32, 0, 3, 4, 4));
        }
        // Confined to this thread: another thread is refused at the call.
        try (SegmentSupport.Arena arena = SegmentSupport.confinedArena()) {
            Object seg = arena.allocate(48, 64);
            Batch y = SegmentSupport.batch(seg, ElementType.FLOAT32, 0, 3, 4, 4);
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Future<?> f = other.submit(() -> TestSupport.rejects(IllegalStateException.class,
                        "y: the segment is confined to another thread", () -> s.softmax(x, y)));
                f.get();
            } finally {
                other.shutdown();
            }
            s.softmax(x, y);
        }
        // Heap segments: pinned through their array, no copy; a read-only one is refused, as is
        // an array narrower than the element type.
        float[] backing = new float[20];
        Object heap = SegmentSupport.slice(SegmentSupport.ofArray(backing), 8, 48);
        Batch hy = SegmentSupport.batch(heap, ElementType.FLOAT32, 0, 3, 4, 4);
        double[] xd = TestSupport.gaussian(5, 12, 2);
        float[] want = new float[12];
        s.softmax(Batch.of(TestSupport.toFloat(xd), 3, 4), Batch.of(want, 3, 4));
        s.softmax(Batch.of(TestSupport.toFloat(xd), 3, 4), hy);
        assertArrayEquals(want, java.util.Arrays.copyOfRange(backing, 2, 14), 0f);
        assertTrue(backing[0] == 0 && backing[1] == 0 && backing[14] == 0, "nothing outside the slice written");
        TestSupport.rejects(IllegalArgumentException.class, "read-only heap segment",
                () -> SegmentSupport.batch(SegmentSupport.readOnly(heap), ElementType.FLOAT32, 0, 3, 4, 4));
        TestSupport.rejects(IllegalArgumentException.class, "misaligned",
                () -> SegmentSupport.batch(SegmentSupport.ofArray(new byte[48]), ElementType.FLOAT32, 0, 3, 4, 4));
        // The same heap segment in place, and overlapping its own array shifted: refused.
        s.softmax(hy, hy);
        Object shifted = SegmentSupport.slice(SegmentSupport.ofArray(backing), 12, 48);
        TestSupport.rejects(IllegalArgumentException.class, "overlaps",
                () -> s.softmax(hy, SegmentSupport.batch(shifted, ElementType.FLOAT32, 0, 3, 4, 4)));
    }
}
