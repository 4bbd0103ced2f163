package dev.remedy.facts.live;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * What a long collection says while it runs: one line on stderr, rewritten in place, shown only once the
 * collection has taken more than a moment and only on a terminal, and cleared at the end.
 */
public interface Progress {

    /** Progress that says nothing: not a terminal, or {@code -q}. */
    Progress NONE = new Progress() {
        @Override
        public void update(String status) {}

        @Override
        public void done() {}
    };

    void update(String status);

    void done();

    /** A progress line on {@code err}, after {@code delayMillis} and at most every 200 ms. */
    static Progress terminal(PrintWriter err, long delayMillis, LongSupplier clockMillis) {
        long start = clockMillis.getAsLong();
        return new Progress() {
            private long last;
            private int width;

            @Override
            public synchronized void update(String status) {
                long now = clockMillis.getAsLong();
                if (now - start < delayMillis || now - last < 200) {
                    return;
                }
                last = now;
                String line = "collecting: " + status;
                err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
                err.flush();
                width = line.length();
            }

            @Override
            public synchronized void done() {
                if (width > 0) {
                    err.print("\r" + " ".repeat(width) + "\r");
                    err.flush();
                    width = 0;
                }
            }
        };
    }
}
