package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Help that reads (issue 12: `apply --help` broke `--out=Y.npy` into `Y.` and `npy` on two lines)
 * and errors that point at the help of the command they are about.
 */
class HelpTest {

    /** The usage of every subcommand at {@code width} columns, as a terminal of that width gets it. */
    private static List<String[]> usages(int width) {
        CommandLine cl = new CommandLine(new Main());
        cl.setUsageHelpWidth(width);
        return cl.getSubcommands().entrySet().stream()
                .map(e -> new String[] {e.getKey(), e.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF)})
                .toList();
    }

    /** The synopsis: the "Usage:" line and its indented continuation lines. */
    private static String synopsis(String usage) {
        StringBuilder sb = new StringBuilder();
        for (String line : usage.substring(Math.max(0, usage.indexOf("Usage: "))).lines().toList()) {
            if (sb.length() > 0 && !line.startsWith(" ")) break;
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /**
     * At every width a terminal of 80 columns or more gives picocli, and at the fallback width,
     * each command's synopsis names every option it has, each with its label in one piece, in
     * lines that fit 80 columns. (picocli's own synopsis broke labels at dots: TEST.csv at 80.)
     */
    @Test
    void everyOptionAndItsLabelStayInOnePieceAtEveryWidth() {
        var commands = new CommandLine(new Main()).getSubcommands();
        for (int width = 80; width <= 160; width++) {
            int w = width;
            for (String[] u : usages(width)) {
                String name = u[0], usage = u[1], synopsis = synopsis(usage);
                assertTrue(synopsis.startsWith("Usage: softmax4j "), synopsis);
                for (String line : synopsis.lines().toList()) {
                    assertTrue(line.length() <= 80, () -> name + ": synopsis line wider than 80 columns: " + line);
                }
                CommandLine.Model.CommandSpec spec = commands.get(name).getCommandSpec();
                for (OptionSpec o : spec.options()) {
                    if (o.hidden() || o.usageHelp() || o.versionHelp()) continue;
                    String shown = o.arity().max() == 0 ? o.longestName() : o.longestName() + " " + o.paramLabel();
                    String negated = o.negatable() ? "--no-" + o.longestName().substring(2) : shown; // --[no-]progress
                    assertTrue(synopsis.contains(shown) || synopsis.contains(negated)
                            || synopsis.contains(o.longestName() + "=" + o.paramLabel()),
                            () -> name + "'s synopsis at " + w + " columns should show " + shown + ":\n" + synopsis);
                    if (o.arity().max() > 0) {
                        assertTrue(usage.contains(o.longestName() + "=" + o.paramLabel()), () -> name + " --help at " + w
                                + " columns lists " + o.longestName() + "=" + o.paramLabel() + " in one piece:\n" + usage);
                    }
                }
                for (CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) {
                    if (!p.hidden()) assertTrue(synopsis.contains(p.paramLabel()), () -> name + ": " + p.paramLabel() + "\n" + synopsis);
                }
            }
        }
    }

    @Test
    void helpFillsMoreThanEightyColumnsWhereTheTerminalIsUnknown() {
        CliTest.Result r = CliTest.run("apply", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.length() > 80), r.out());
        assertTrue(r.out().lines().allMatch(l -> l.length() <= Main.HELP_WIDTH), r.out());
        assertTrue(r.out().contains("--out=Y.npy"), r.out());
    }

    @Test
    void errorsPointAtTheirOwnCommandsHelp() {
        for (String[] args : List.of(
                new String[] {"apply", "--frobnicate"},
                new String[] {"train", "--data", "d.csv"},
                new String[] {"bench", "--forks", "many"},
                new String[] {"dataset"},
                new String[] {"predict", "--in"},
                new String[] {"demo", "--threads", "two"})) {
            CliTest.Result r = CliTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            CliTest.fails(r, "(see softmax4j " + args[0] + " --help)");
            assertTrue(r.err().strip().endsWith("(see softmax4j " + args[0] + " --help)"), r.err());
        }
        CliTest.Result r = CliTest.run("frobnicate");
        assertTrue(r.err().strip().endsWith("(see softmax4j --help)"), r.err());
    }
}
