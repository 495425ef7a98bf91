package dev.chatlab.reports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatlab.stats.IntervalStats;
import dev.chatlab.stats.RunMetrics;
import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * The per-interval series a report charts, in one shape whether they come from a history
 * ({@link #of(RunMetrics)}) or from a summary that carries its own {@code timeseries} block (a
 * coarse run keeps no history). Latencies are milliseconds; a NaN marks an interval without samples.
 *
 * <p>The summary block: {@code "timeseries": {"interval_us": N, "start_us": [..], "open_connections": [..],
 * "open_min": [..] (optional), "connects": [..], "disconnects": [..], "reconnects": [..], "acks": [..], "delivers": [..],
 * "ack_p50_us": [..], "ack_p99_us": [..], "deliver_p50_us": [..], "deliver_p99_us": [..]}}, arrays of
 * equal length, one entry per interval; a latency of -1 means no sample.
 */
record TimeSeries(double intervalSeconds, double[] midSeconds, double[] openConnections, double[] openMin, double[] connects,
                  double[] disconnects, double[] reconnects, double[] acks, double[] delivers,
                  double[] ackP50Ms, double[] ackP99Ms, double[] deliverP50Ms, double[] deliverP99Ms) {

    static TimeSeries of(RunMetrics metrics) {
        List<IntervalStats> in = metrics.intervals();
        int n = in.size();
        double[] mid = new double[n];
        double[] open = new double[n];
        double[] low = new double[n];
        double[] con = new double[n];
        double[] dis = new double[n];
        double[] rec = new double[n];
        double[] ack = new double[n];
        double[] del = new double[n];
        double[] a50 = new double[n];
        double[] a99 = new double[n];
        double[] d50 = new double[n];
        double[] d99 = new double[n];
        for (int i = 0; i < n; i++) {
            IntervalStats s = in.get(i);
            mid[i] = s.midSeconds();
            open[i] = s.openConnections();
            low[i] = s.openMin();
            con[i] = s.connects();
            dis[i] = s.disconnects();
            rec[i] = s.reconnects();
            ack[i] = s.acks();
            del[i] = s.delivers();
            a50[i] = percentileMs(s.sendToAck(), 50);
            a99[i] = percentileMs(s.sendToAck(), 99);
            d50[i] = percentileMs(s.sendToDeliver(), 50);
            d99[i] = percentileMs(s.sendToDeliver(), 99);
        }
        return new TimeSeries(metrics.intervalMicros() / 1e6, mid, open, low, con, dis, rec, ack, del, a50, a99, d50, d99);
    }

    private static double percentileMs(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
    }

    /** The summary's {@code timeseries} block, or null if it has none. */
    static TimeSeries fromSummary(JsonNode summary) {
        JsonNode ts = summary.path("timeseries");
        JsonNode start = ts.path("start_us");
        if (!start.isArray()) {
            return null;
        }
        long interval = ts.path("interval_us").asLong(1_000_000);
        int n = start.size();
        double[] mid = new double[n];
        for (int i = 0; i < n; i++) {
            mid[i] = (start.get(i).asLong() + interval / 2.0) / 1e6;
        }
        double[] open = counts(ts, "open_connections", n);
        double[] low = ts.has("open_min") ? counts(ts, "open_min", n) : open;
        return new TimeSeries(interval / 1e6, mid, open, low, counts(ts, "connects", n),
                counts(ts, "disconnects", n), counts(ts, "reconnects", n), counts(ts, "acks", n), counts(ts, "delivers", n),
                latencies(ts, "ack_p50_us", n), latencies(ts, "ack_p99_us", n),
                latencies(ts, "deliver_p50_us", n), latencies(ts, "deliver_p99_us", n));
    }

    private static double[] counts(JsonNode ts, String name, int n) {
        double[] out = new double[n];
        JsonNode a = ts.path(name);
        for (int i = 0; i < n; i++) {
            out[i] = a.isArray() && i < a.size() ? a.get(i).asDouble() : Double.NaN;
        }
        return out;
    }

    private static double[] latencies(JsonNode ts, String name, int n) {
        double[] out = counts(ts, name, n);
        for (int i = 0; i < n; i++) {
            out[i] = out[i] < 0 ? Double.NaN : out[i] / 1000.0;
        }
        return out;
    }

    double endSeconds() {
        return midSeconds.length == 0 ? 0 : midSeconds[midSeconds.length - 1] + intervalSeconds / 2;
    }

    /** Per-interval counts as a rate per second, so charts read the same at any interval length. */
    double[] perSecond(double[] perInterval) {
        double[] out = new double[perInterval.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = perInterval[i] / intervalSeconds;
        }
        return out;
    }
}
