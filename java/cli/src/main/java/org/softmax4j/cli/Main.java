package org.softmax4j.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bin/softmax4j}: the demo (the default), {@code info}, {@code apply} on .npy files,
 * {@code bench}, {@code dataset}, {@code train} and {@code predict}.
 *
 * <p>Every failure ends in one line on stderr, {@code softmax4j: <what went wrong>}, and a
 * non-zero exit: 2 for a bad command line (pointing at the help of the command it was for), 1
 * for anything else. No stack traces: set {@code SOFTMAX4J_DEBUG=1} to get them. Every command
 * that writes files checks them before it starts working, and writes each whole or not at all.
 */
@Command(name = "softmax4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Softmax, log-softmax and log-sum-exp on the JVM, native or pure Java.",
        subcommands = {DemoCommand.class, InfoCommand.class, ApplyCommand.class, SampleCommand.class, BenchCommand.class,
                TrainCommand.class, PredictCommand.class, DatasetCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** The width of help texts where the terminal's cannot be found (as when piped to a file). */
    static final int HELP_WIDTH = 100;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), Terminal.isStderr(), args);
    }

    /** Runs the command line with the given streams, neither of them a terminal, and returns the exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, false, args);
    }

    /**
     * Runs the command line and returns the exit code; {@code errIsTerminal} says whether
     * {@code err} reaches a person's terminal, where progress may be drawn in place.
     */
    static int run(PrintWriter out, PrintWriter err, boolean errIsTerminal, String... args) {
        Main main = new Main();
        main.errIsTerminal = errIsTerminal;
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        // Help fills the terminal where its width is known, else HELP_WIDTH columns (not
        // picocli's 80, which splits option labels such as Y.npy at the dot).
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler((e, argv) -> {
            CommandLine at = e.getCommandLine();
            at.getErr().println("softmax4j: " + oneLine(e) + " (see " + at.getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (System.getenv("SOFTMAX4J_DEBUG") != null) e.printStackTrace(cmd.getErr());
            cmd.getErr().println("softmax4j: " + oneLine(e));
            return 1;
        });
        return cl.execute(args);
    }

    /** Whether stderr is a terminal: progress bars are drawn only there. */
    boolean errIsTerminal;

    /** The {@link Main} a subcommand runs under. */
    static Main of(CommandSpec spec) {
        return (Main) spec.root().userObject();
    }

    @Spec
    CommandSpec spec;

    /** With no subcommand: the demo. */
    @Override
    public void run() {
        new DemoCommand().run(spec.commandLine().getOut());
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
