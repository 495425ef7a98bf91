package dev.chatlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.experiments.calibration.ServiceTimeFit;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;

/**
 * The service-time histograms a real run's nodes gave at its end ({@code cluster/service-times.json}),
 * merged over the nodes by family ({@code frame}, {@code peer}, {@code store}, {@code connect})
 * and kind, and fitted ({@link ServiceTimeFit}).
 */
final class NodeHistograms {

    static final String FILE = "service-times.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Map<String, Histogram>> families;

    private NodeHistograms(Map<String, Map<String, Histogram>> families) {
        this.families = families;
    }

    static NodeHistograms read(Path file) throws IOException {
        JsonNode nodes = JSON.readTree(file.toFile());
        Map<String, Map<String, Histogram>> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> node : nodes.properties()) {
            if (!"ns".equals(node.getValue().path("unit").asText())) {
                throw new IllegalArgumentException(node.getKey() + ": expected unit ns");
            }
            for (Map.Entry<String, JsonNode> family : node.getValue().path("families").properties()) {
                for (Map.Entry<String, JsonNode> kind : family.getValue().properties()) {
                    byte[] bytes = Base64.getDecoder().decode(kind.getValue().path("histogram").asText());
                    Histogram h;
                    try {
                        h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
                    } catch (DataFormatException e) {
                        throw new IOException(node.getKey() + " " + family.getKey() + "." + kind.getKey()
                                + ": not an HdrHistogram: " + e.getMessage(), e);
                    }
                    out.computeIfAbsent(family.getKey(), f -> new TreeMap<>())
                            .merge(kind.getKey(), h, (a, b) -> {
                                a.add(b);
                                return a;
                            });
                }
            }
        }
        return new NodeHistograms(out);
    }

    /** Each kind of the family that measured anything, fitted. */
    Map<String, ServiceTimeFit> fits(String family) {
        Map<String, ServiceTimeFit> out = new TreeMap<>();
        families.getOrDefault(family, Map.of()).forEach((kind, h) -> {
            if (h.getTotalCount() > 0) {
                out.put(kind, fit(h));
            }
        });
        return out;
    }

    /** Every kind of the family together: what the model says for a kind it does not list. */
    ServiceTimeFit pooled(String family) {
        Histogram all = null;
        for (Histogram h : families.getOrDefault(family, Map.of()).values()) {
            if (all == null) {
                all = h.copy();
            } else {
                all.add(h);
            }
        }
        return all == null || all.getTotalCount() == 0 ? null : fit(all);
    }

    private static ServiceTimeFit fit(Histogram h) {
        int n = 0;
        for (HistogramIterationValue ignored : h.recordedValues()) {
            n++;
        }
        double[] values = new double[n];
        long[] counts = new long[n];
        int i = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            values[i] = h.medianEquivalentValue(v.getValueIteratedTo()) / 1_000.0;
            counts[i] = v.getCountAtValueIteratedTo();
            i++;
        }
        return ServiceTimeFit.of(values, counts);
    }
}
