package org.softmax4j.cli;

import org.softmax4j.Softmax;

import picocli.CommandLine.Option;

/** {@code --backend} and {@code --threads}, shared by the commands that compute. */
final class BackendOptions {

    @Option(names = "--backend", paramLabel = "native|java",
            description = "Which implementation computes (default: native if it loads, else java).")
    String backend = "auto";

    @Option(names = "--threads", paramLabel = "N",
            description = "OpenMP threads of the native backend (default: OpenMP's, all cores unless OMP_NUM_THREADS says otherwise).")
    Integer threads;

    /**
     * The chosen backend. The thread count, a process-wide setting, is given to the native
     * backend whenever it loads, also when Java computes (the demo times both).
     */
    Softmax softmax() {
        Softmax s = switch (backend) {
            case "auto" -> Softmax.get();
            case "native" -> Softmax.nativeBackend();
            case "java" -> Softmax.java();
            default -> throw new IllegalArgumentException(
                    "--backend must be native or java, got '" + backend + "'");
        };
        if (threads != null) {
            if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            if (Softmax.nativeUnavailableCause().isEmpty()) Softmax.nativeBackend().setThreads(threads);
        }
        return s;
    }
}
