package dev.remedy.cli;

import dev.remedy.facts.live.Progress;
import java.io.Console;
import java.io.PrintWriter;

/** Whether stderr is a person's terminal, where a progress line helps; never in pipes, files or tests. */
final class Terminal {

    private Terminal() {}

    static Progress progress(boolean quiet, PrintWriter err) {
        return quiet || !isTerminal() ? Progress.NONE : Progress.terminal(err, 1500, System::currentTimeMillis);
    }

    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // Since JDK 22 System.console() exists even when redirected; isTerminal() tells, where it exists.
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
