package org.softmax4j.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.softmax4j.Softmax;

/**
 * One caller on a machine where another process holds a core ({@link BackgroundLoad}, started
 * before the warm-up and stopped after the measurement of each fork): the time of every call
 * (JMH's {@code SampleTime}: mean and percentiles), under each thread policy ({@code default},
 * {@code 1}, {@code all}; see {@link CallersBench}). The targets: the default's mean at most
 * 1.2 × and its p99 at most 2 × the serial time of the same call ({@code bench/server_report.py}).
 * Run alone: the load is meant to be the only other work on the machine.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BusyCoreBench {

    @State(Scope.Benchmark)
    public static class Busy {
        @Param({"softmax:64x1000", "softmax:256x1000", "softmax:4096x1000", "softmax:1x128256",
            "predictProba:256x512x1000"})
        public String workload;

        @Param({"default", "1", "all"})
        public String policy;

        BackgroundLoad load;
        ServerWorkload shared;
        ServerWorkload.Caller caller;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            load = BackgroundLoad.start();
            Softmax s = Softmax.nativeBackend();
            ServerWorkload.applyPolicy(s, policy);
            shared = ServerWorkload.of(workload, s);
            caller = shared.new Caller();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            load.close();
            shared.close();
            Softmax.nativeBackend().setThreads(0);
        }
    }

    @Benchmark
    public float[] call(Busy busy) {
        return busy.caller.call();
    }
}
