package dev.remedy.facts.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line on a terminal: late, throttled, rewritten in place, and gone at the end. */
class ProgressTest {

    private final StringWriter err = new StringWriter();
    private final AtomicLong clock = new AtomicLong(10_000);
    private final Progress progress = Progress.terminal(new PrintWriter(err), 1500, clock::get);

    @Test
    void aQuickCollectionPrintsNothing() {
        progress.update("nodes (3)");
        clock.addAndGet(1000);
        progress.update("pods (40)");
        progress.done();

        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aSlowCollectionRewritesOneLineAtMostFiveTimesASecondAndClearsItAtTheEnd() {
        clock.addAndGet(1500);
        progress.update("pods (12000)");
        clock.addAndGet(100);
        progress.update("pods (13000)"); // within 200 ms of the last line: not printed
        clock.addAndGet(150);
        progress.update("etcd");
        progress.done();

        assertThat(err.toString())
                .isEqualTo("\rcollecting: pods (12000)"
                        // the shorter line blanks what is left of the longer one
                        + "\rcollecting: etcd" + " ".repeat("pods (12000)".length() - "etcd".length())
                        + "\r" + " ".repeat("collecting: etcd".length()) + "\r");
    }
}
