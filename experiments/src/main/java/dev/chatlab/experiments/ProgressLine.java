package dev.chatlab.experiments;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The one progress line of a whole experiment: runs done of the total, failures so far and the
 * time left at the pace so far. On a terminal the line is rewritten in place; in a log it is
 * printed at most about every tenth of the runs, so a long sweep stays readable.
 *
 * <pre>{@code
 * ProgressLine p = new ProgressLine("compare", System.err, System::nanoTime, System.console() != null);
 * p.update(3, 30, 0);        // compare: 3/30 runs, 0 failed, ETA 41s
 * p.finish();
 * }</pre>
 */
public final class ProgressLine {

    private final String command;
    private final PrintStream out;
    private final LongSupplier nanoClock;
    private final boolean terminal;
    private final long startNanos;
    private int lastPrintedTenth = -1;
    private boolean pending;

    /** {@code nanoClock} is the wall clock (a test passes its own); only the ETA reads it. */
    public ProgressLine(String command, PrintStream out, LongSupplier nanoClock, boolean terminal) {
        this.command = command;
        this.out = out;
        this.nanoClock = nanoClock;
        this.terminal = terminal;
        this.startNanos = nanoClock.getAsLong();
    }

    /** Seconds since the line was made. */
    public double elapsedSeconds() {
        return (nanoClock.getAsLong() - startNanos) / 1e9;
    }

    public void update(int done, int total, int failed) {
        String line = line(done, total, failed);
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            pending = true;
            out.flush();
            return;
        }
        int tenth = total == 0 ? 10 : done * 10 / total;
        if (tenth != lastPrintedTenth || done == total) {
            lastPrintedTenth = tenth;
            out.println(line);
            out.flush();
        }
    }

    /** Ends the line on a terminal, so what follows starts on a line of its own. */
    public void finish() {
        if (pending) {
            out.println();
            out.flush();
            pending = false;
        }
    }

    String line(int done, int total, int failed) {
        double elapsed = elapsedSeconds();
        String eta = done == 0 ? "?" : duration(elapsed / done * (total - done));
        return command + ": " + done + "/" + total + " runs, " + failed + " failed, "
                + (done == total ? "took " + duration(elapsed) : "ETA " + eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
