package org.softmax4j.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process's stderr reaches a person's terminal: progress bars redraw a line in place
 * with carriage returns and escape codes, which belong there and nowhere else (not in a log file
 * or a pipe).
 */
final class Terminal {
    private Terminal() {}

    /**
     * True when stderr is a terminal. On Linux that is read from what file descriptor 2 is
     * ({@code /proc/self/fd/2}): the JDK's {@link Console} looks at stdin and stdout only, so
     * {@code 2> log} would go unnoticed. Elsewhere, the console's answer.
     */
    static boolean isStderr() {
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(fd2)) {
            try {
                return isTerminalDevice(Files.readSymbolicLink(fd2).toString());
            } catch (IOException | SecurityException e) {
                return false;
            }
        }
        return consoleIsTerminal();
    }

    /** Terminal devices: pseudo-terminals, virtual consoles, serial lines. */
    static boolean isTerminalDevice(String path) {
        return path.startsWith("/dev/pts/") || path.startsWith("/dev/tty") || path.equals("/dev/console");
    }

    /** There is a console, and (JDK 22+, where there always is one) it is a terminal. */
    private static boolean consoleIsTerminal() {
        Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 a console exists only on a terminal
        }
    }
}
