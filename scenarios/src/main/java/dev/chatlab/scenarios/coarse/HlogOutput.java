package dev.chatlab.scenarios.coarse;

import org.HdrHistogram.HistogramLogWriter;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a coarse run's interval histograms as it goes, as HdrHistogram interval logs in the same
 * form the reports module writes for full runs: {@code send-ack.hlog} and {@code send-deliver.hlog},
 * values in microseconds, time stamps in seconds of virtual time from 0, max column in ms.
 *
 * <pre>{@code
 * try (HlogOutput logs = HlogOutput.open(outDir)) {
 *     model.setIntervalSink(logs);
 *     model.run();
 * }
 * }</pre>
 */
final class HlogOutput implements CoarseModel.IntervalSink, Closeable {

    static final String SEND_ACK = "send-ack.hlog";
    static final String SEND_DELIVER = "send-deliver.hlog";
    private static final double MAX_VALUE_UNIT_RATIO = 1_000.0;

    private final PrintStream ackOut;
    private final PrintStream deliverOut;
    private final HistogramLogWriter ack;
    private final HistogramLogWriter deliver;

    private HlogOutput(PrintStream ackOut, PrintStream deliverOut) {
        this.ackOut = ackOut;
        this.deliverOut = deliverOut;
        this.ack = header(ackOut, "send->ack latency, microseconds (pushed and pulled messages' acks)");
        this.deliver = header(deliverOut, "send->deliver latency, microseconds (pushed deliveries)");
    }

    static HlogOutput open(Path dir) throws IOException {
        Files.createDirectories(dir);
        PrintStream a = new PrintStream(Files.newOutputStream(dir.resolve(SEND_ACK)), false, StandardCharsets.UTF_8);
        PrintStream d = new PrintStream(Files.newOutputStream(dir.resolve(SEND_DELIVER)), false, StandardCharsets.UTF_8);
        return new HlogOutput(a, d);
    }

    private static HistogramLogWriter header(PrintStream out, String legend) {
        HistogramLogWriter w = new HistogramLogWriter(out);
        w.outputComment("chatlab coarse run: " + legend + "; time stamps are seconds of virtual time");
        w.outputLogFormatVersion();
        // Virtual time starts at 0: a fixed base keeps the file identical on every replay of a seed.
        w.outputStartTime(0);
        w.setBaseTime(0);
        w.outputLegend();
        return w;
    }

    @Override
    public void onInterval(long startMicros, long endMicros, LatencyHistogram sendToAck, LatencyHistogram sendToDeliver) {
        ack.outputIntervalHistogram(startMicros / 1e6, endMicros / 1e6, sendToAck.histogram(), MAX_VALUE_UNIT_RATIO);
        deliver.outputIntervalHistogram(startMicros / 1e6, endMicros / 1e6, sendToDeliver.histogram(), MAX_VALUE_UNIT_RATIO);
    }

    @Override
    public void close() throws IOException {
        ackOut.close();
        deliverOut.close();
        if (ackOut.checkError() || deliverOut.checkError()) {
            throw new IOException("could not write the .hlog files");
        }
    }
}
