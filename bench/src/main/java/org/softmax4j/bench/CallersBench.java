package org.softmax4j.bench;

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
 * A service under load: JMH's threads ({@code -t 1, 2, 4, 16}) are concurrent callers, each
 * sending its own requests back-to-back; the score is calls per second across all of them. The
 * thread policies: the library's {@code default}, {@code 1} thread per call, {@code all} cores
 * per call. The target: the default at least 0.95 × the better of the other two, at every caller
 * count and workload ({@code bench/server_report.py} computes the ratios).
 *
 * <p>Run: {@code java -jar bench/target/softmax4j-bench.jar CallersBench -t 4}, or all caller
 * counts with {@code bench/run.sh server}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CallersBench {

    /** What all callers share: the workload's model and input template, and the policy. */
    @State(Scope.Benchmark)
    public static class Service {
        @Param({"softmax:64x1000", "softmax:256x1000", "softmax:4096x1000", "softmax:1x128256",
            "predictProba:256x512x1000"})
        public String workload;

        @Param({"default", "1", "all"})
        public String policy;

        ServerWorkload shared;

        @Setup(Level.Trial)
        public void setUp() {
            Softmax s = Softmax.nativeBackend();
            ServerWorkload.applyPolicy(s, policy);
            shared = ServerWorkload.of(workload, s);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            shared.close();
            Softmax.nativeBackend().setThreads(0);
        }
    }

    /** One caller's request buffers. */
    @State(Scope.Thread)
    public static class Client {
        ServerWorkload.Caller caller;

        @Setup(Level.Trial)
        public void setUp(Service service) {
            caller = service.shared.new Caller();
        }
    }

    @Benchmark
    public float[] call(Client client) {
        return client.caller.call();
    }
}
