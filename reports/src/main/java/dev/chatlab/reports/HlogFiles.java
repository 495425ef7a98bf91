package dev.chatlab.reports;

import dev.chatlab.stats.IntervalStats;
import dev.chatlab.stats.RunMetrics;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes the interval histograms of a run as HdrHistogram log files, one interval per line, so
 * HdrHistogram's own tools (HistogramLogProcessor, HdrHistogramVisualizer) can read them:
 * {@code send-ack.hlog} and {@code send-deliver.hlog}. Values are microseconds; time stamps are
 * seconds of run time (virtual time in the simulator), starting at 0.
 *
 * <pre>{@code
 * List<Path> written = HlogFiles.write(metrics, runDir);
 * List<Histogram> intervals = HlogFiles.read(runDir.resolve(HlogFiles.SEND_ACK));
 * }</pre>
 */
public final class HlogFiles {

    public static final String SEND_ACK = "send-ack.hlog";
    public static final String SEND_DELIVER = "send-deliver.hlog";
    /** Max column in the log is in milliseconds: values are microseconds, so divide by 1000. */
    static final double MAX_VALUE_UNIT_RATIO = 1_000.0;

    private HlogFiles() {
    }

    /** Writes both logs into {@code dir}; returns their paths. */
    public static List<Path> write(RunMetrics metrics, Path dir) throws IOException {
        Path ack = dir.resolve(SEND_ACK);
        Path deliver = dir.resolve(SEND_DELIVER);
        writeOne(ack, "send->ack latency, microseconds", metrics.intervals(), IntervalStats::sendToAck);
        writeOne(deliver, "send->deliver latency, microseconds", metrics.intervals(), IntervalStats::sendToDeliver);
        return List.of(ack, deliver);
    }

    private static void writeOne(Path file, String legend, List<IntervalStats> intervals,
                                 Function<IntervalStats, Histogram> pick) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputComment("chatlab " + legend + "; time stamps are seconds of run time");
            writer.outputLogFormatVersion();
            // Run time starts at 0: a fixed base keeps the file identical on every replay of a seed.
            writer.outputStartTime(0);
            writer.setBaseTime(0);
            writer.outputLegend();
            for (IntervalStats interval : intervals) {
                Histogram h = pick.apply(interval);
                writer.outputIntervalHistogram(interval.startMicros() / 1e6, interval.endMicros() / 1e6, h,
                        MAX_VALUE_UNIT_RATIO);
            }
            out.flush();
            if (out.checkError()) {
                throw new IOException("could not write " + file);
            }
        }
    }

    /** Reads back every interval histogram of a log, in order. */
    public static List<Histogram> read(Path file) throws IOException {
        List<Histogram> out = new ArrayList<>();
        HistogramLogReader reader;
        try {
            reader = new HistogramLogReader(file.toFile());
        } catch (FileNotFoundException e) {
            throw new IOException("no such file: " + file, e);
        }
        try {
            for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                if (h instanceof Histogram histogram) {
                    out.add(histogram);
                } else {
                    throw new IOException(file + " holds a histogram of another kind: " + h.getClass().getSimpleName());
                }
            }
        } finally {
            reader.close();
        }
        return out;
    }
}
