package org.softmax4j.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bin/softmax4j}: the demo (the default), {@code info}, {@code apply} on .npy files, and
 * {@code bench}.
 *
 * <p>Every failure ends in one line on stderr, {@code softmax4j: <what went wrong>}, and a
 * non-zero exit: 2 for a bad command line, 1 for anything else. No stack traces: set
 * {@code SOFTMAX4J_DEBUG=1} to get them.
 */
@Command(name = "softmax4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Softmax, log-softmax and log-sum-exp on the JVM, native or pure Java.",
        subcommands = {DemoCommand.class, InfoCommand.class, ApplyCommand.class, BenchCommand.class,
                TrainCommand.class, PredictCommand.class, DatasetCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given error stream and returns the exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, argv) -> {
            e.getCommandLine().getErr().println("softmax4j: " + e.getMessage() + " (see softmax4j --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (System.getenv("SOFTMAX4J_DEBUG") != null) e.printStackTrace(cmd.getErr());
            cmd.getErr().println("softmax4j: " + oneLine(e));
            return 1;
        });
        return cl.execute(args);
    }

    @Spec
    CommandSpec spec;

    /** With no subcommand: the demo. */
    @Override
    public void run() {
        DemoCommand.print(spec.commandLine().getOut());
    }

    /** A failure as one line: its message, or its type where it has none. */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        return m.replace('\n', ' ').strip();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"softmax4j " + (v != null ? v : "(development build)")};
        }
    }
}
