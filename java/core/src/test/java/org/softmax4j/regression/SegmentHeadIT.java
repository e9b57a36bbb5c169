package org.softmax4j.regression;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.softmax4j.Kind;
import org.softmax4j.SegmentSupport;
import org.softmax4j.Softmax;

/**
 * The classifier head on MemorySegment batches (the packaged jar on JDK 22+): the segment kinds
 * of {@link PredictAgreementTest}.
 */
class SegmentHeadIT {

    static Stream<Arguments> cases() {
        assumeTrue(SegmentSupport.available(), "MemorySegments need JDK 22+ and the packaged jar");
        return PredictAgreementTest.cases().filter(a -> ((Kind) a.get()[1]).isSegment());
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("cases")
    void agreesWithTheTwoStepReference(Softmax.Backend b, Kind k, HeadCalls.Op op, PredictAgreementTest.Layout l) {
        new PredictAgreementTest().agreesWithTheTwoStepReference(b, k, op, l);
    }
}
