package dev.chatlab.experiments.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.chatlab.scenarios.model.ServiceTime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A service-time model file ({@code models/*.yaml}, format 1; docs/simulator.md describes it): a
 * node's cores, accept backlog and service times per connection set-up, frame kind and peer
 * message kind, or a store's per operation, each fitted from measurements, with where and how they
 * were measured. Written as text so that a person reads one distribution per line.
 *
 * <pre>{@code
 * String yaml = ModelFile.node("calibrated-node", provenance, 2, 4096, connect, frames, framesPooled, peers, peersPooled);
 * JsonNode back = ModelFile.parse(yaml);   // IllegalArgumentException names what is missing
 * }</pre>
 */
public final class ModelFile {

    /** The format version this writes and reads. */
    public static final int FORMAT = 1;

    private static final YAMLMapper YAML = new YAMLMapper();

    private ModelFile() {
    }

    /**
     * Where and how a model was measured.
     *
     * @param by      the command that measured it
     * @param at      when (UTC, ISO-8601)
     * @param cores   the machine's cores
     * @param cpu     its CPU model
     * @param java    the Java version
     * @param os      the operating system
     * @param store   the store the cluster ran with
     */
    public record Provenance(String by, String at, int cores, String cpu, String java, String os, String store) {
    }

    /** A node model; kinds with no measurement are left out (the simulator then uses the default). */
    public static String node(String name, Provenance p, int cores, int acceptBacklog, ServiceTimeFit connect,
                              Map<String, ServiceTimeFit> frames, ServiceTimeFit frameDefault,
                              Map<String, ServiceTimeFit> peers, ServiceTimeFit peerDefault) {
        StringBuilder out = header("node", name, p);
        out.append("node:\n");
        out.append("  cores: ").append(cores).append('\n');
        out.append("  accept_backlog: ").append(acceptBacklog).append('\n');
        if (connect != null) {
            out.append("  connect: ").append(dist(connect)).append('\n');
        }
        section(out, "frame", frames);
        if (frameDefault != null) {
            out.append("  frame_default: ").append(dist(frameDefault)).append('\n');
        }
        section(out, "peer", peers);
        if (peerDefault != null) {
            out.append("  peer_default: ").append(dist(peerDefault)).append('\n');
        }
        return out.toString();
    }

    /** A store model: per operation, and {@code default} for the others. */
    public static String store(String name, Provenance p, Map<String, ServiceTimeFit> ops, ServiceTimeFit pooled) {
        StringBuilder out = header("store", name, p);
        out.append("store:\n");
        ops.forEach((op, fit) -> out.append("  ").append(op).append(": ").append(dist(fit)).append('\n'));
        if (pooled != null) {
            out.append("  default: ").append(dist(pooled)).append('\n');
        }
        return out.toString();
    }

    private static StringBuilder header(String kind, String name, Provenance p) {
        StringBuilder out = new StringBuilder();
        out.append("# Service times measured by chatlab calibrate on the real cluster; rerun it on another machine\n")
                .append("# for that machine's model. Each distribution carries its samples and the KS D of its fit.\n");
        out.append("model: ").append(FORMAT).append('\n');
        out.append("kind: ").append(kind).append('\n');
        out.append("name: ").append(quote(name)).append('\n');
        out.append("measured:\n");
        out.append("  by: ").append(quote(p.by())).append('\n');
        out.append("  at: ").append(quote(p.at())).append('\n');
        out.append("  machine: {cores: ").append(p.cores()).append(", cpu: ").append(quote(p.cpu())).append(", java: ")
                .append(quote(p.java())).append(", os: ").append(quote(p.os())).append("}\n");
        out.append("  store: ").append(quote(p.store())).append('\n');
        return out;
    }

    private static void section(StringBuilder out, String key, Map<String, ServiceTimeFit> fits) {
        if (fits.isEmpty()) {
            return;
        }
        out.append("  ").append(key).append(":\n");
        fits.forEach((kind, fit) -> out.append("    ").append(kind).append(": ").append(dist(fit)).append('\n'));
    }

    /** One {@code <dist>}: the log-normal when it fits well enough, else the empirical quantiles; with its fit info. */
    static String dist(ServiceTimeFit f) {
        String info = ", samples: " + f.samples() + ", ks: " + num(f.lognormalFits() ? f.ksLognormal() : f.ksEmpirical())
                + ", mean_us: " + num(f.meanUs()) + "}";
        if (f.lognormalFits()) {
            return "{dist: lognormal, median_us: " + num(f.medianUs()) + ", sigma: " + num(f.sigma()) + info;
        }
        List<String> q = new ArrayList<>();
        for (double v : f.quantilesUs()) {
            q.add(num(v));
        }
        List<String> t = new ArrayList<>();
        for (double v : f.tailUs()) {
            t.add(num(v));
        }
        return "{dist: empirical, quantiles_us: [" + String.join(", ", q) + "], tail_us: [" + String.join(", ", t) + "]" + info;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : "%.3f", v);
    }

    private static String quote(String s) {
        return "\"" + (s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"")) + "\"";
    }

    /**
     * Reads a model file back and checks what the format requires: {@code model: 1}, a kind and its
     * section, and every {@code <dist>} well formed. IllegalArgumentException says what is wrong.
     */
    public static JsonNode parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || root.path("model").asInt(0) != FORMAT) {
            throw new IllegalArgumentException("expected 'model: " + FORMAT + "'");
        }
        String kind = root.path("kind").asText("");
        if (!kind.equals("node") && !kind.equals("store")) {
            throw new IllegalArgumentException("expected 'kind: node' or 'kind: store', got '" + kind + "'");
        }
        JsonNode section = root.path(kind);
        if (!section.isObject()) {
            throw new IllegalArgumentException("expected the section '" + kind + ":'");
        }
        checkDists(kind, section);
        return root;
    }

    private static void checkDists(String path, JsonNode node) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String at = path + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.has("dist")) {
                String dist = v.path("dist").asText();
                boolean ok = switch (dist) {
                    case "fixed" -> v.path("us").isNumber();
                    case "lognormal" -> v.path("median_us").isNumber() && v.path("sigma").isNumber();
                    case "empirical" -> v.path("quantiles_us").isArray() && v.path("quantiles_us").size() == ServiceTimeFit.QUANTILES
                            && (!v.has("tail_us") || v.path("tail_us").size() == ServiceTime.Empirical.TAIL_PERCENTS.size());
                    default -> false;
                };
                if (!ok) {
                    throw new IllegalArgumentException(at + ": expected {dist: fixed, us}, {dist: lognormal, median_us, sigma}"
                            + " or {dist: empirical, quantiles_us: [21 values], tail_us: [6 values, optional]}, got " + v);
                }
            } else if (v.isObject()) {
                checkDists(at, v);
            }
        }
    }
}
