package dev.chatlab.scenarios.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.server.PeerMessage;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.YamlLocator;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service-time model file ({@code models/*.yaml}, written by {@code chatlab calibrate}): what a
 * chat node's work or the store's operations cost, and how that was measured. The format is in
 * docs/simulator.md ("Service-time model files"). Parsing is pure: the caller reads the text.
 * Every problem is a {@link ScenarioException} naming {@code file:line:column}, the key, and
 * what was expected.
 *
 * <pre>{@code
 * ModelFile model = ModelFile.parse("models/local-node.yaml", Files.readString(path));
 * NodeCosts costs = model.node();           // kind: node
 * StoreCosts ops = model.store();           // kind: store
 * }</pre>
 *
 * @param name     the file's {@code name}
 * @param kind     {@code node} or {@code store}
 * @param measured the file's {@code measured} provenance, as written
 * @param node     the costs of a {@code kind: node} file, else null
 * @param store    the costs of a {@code kind: store} file, else null
 */
public record ModelFile(String source, String name, String kind, Map<String, Object> measured, NodeCosts node,
                        StoreCosts store) {

    /** The format version this reader knows. */
    public static final int VERSION = 1;

    private static final YAMLMapper MAPPER = new YAMLMapper();
    private static final Set<String> FIT_INFO = Set.of("samples", "ks", "mean_us");

    /** Parses the text of the model file {@code source}. */
    public static ModelFile parse(String source, String text) throws ScenarioException {
        return parse(source, source, text);
    }

    /** Like {@link #parse(String, String)}; {@code label} names the file in the costs it gives (as a scenario wrote it). */
    public static ModelFile parse(String source, String label, String text) throws ScenarioException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
                throw new ScenarioException(source, y.getProblemMark().getLine() + 1, y.getProblemMark().getColumn() + 1,
                        "not valid YAML: " + y.getProblem());
            }
            JsonLocation at = e.getLocation();
            throw new ScenarioException(source, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    "not valid YAML: " + String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " "));
        }
        Reader r = new Reader(source, YamlLocator.of(text), "");
        if (root == null || !root.isObject()) {
            throw r.error("", "expected a model file: a mapping with model: 1, kind: node or store, and its section");
        }
        JsonNode version = r.required(root, "model");
        if (!version.isInt() || version.intValue() != VERSION) {
            throw r.error("model", "expected format version " + VERSION + ", got '" + version.asText() + "'");
        }
        String kind = r.word(r.required(root, "kind"), "kind", List.of("node", "store"));
        String name = root.hasNonNull("name") ? root.get("name").asText() : source;
        Map<String, Object> measured = new LinkedHashMap<>();
        if (root.hasNonNull("measured")) {
            if (!root.get("measured").isObject()) {
                throw r.error("measured", "expected a mapping of provenance (by, at, machine, store)");
            }
            measured = MAPPER.convertValue(root.get("measured"), new TypeReference<LinkedHashMap<String, Object>>() { });
        }
        String other = kind.equals("node") ? "store" : "node";
        if (root.has(other)) {
            throw r.error(other, "belongs to a kind: " + other + " file; this one is kind: " + kind);
        }
        JsonNode section = r.required(root, kind);
        if (kind.equals("node")) {
            return new ModelFile(source, name, kind, measured, nodeCosts(section, r.under("node"), label), null);
        }
        return new ModelFile(source, name, kind, measured, null, storeCosts(section, r.under("store"), label));
    }

    /**
     * The node costs of a {@code node:} section, or of a scenario's inline {@code server.costs}
     * mapping (same keys): {@code path} names the mapping in errors, {@code where} locates it in
     * {@code source}.
     */
    public static NodeCosts nodeCosts(JsonNode section, String source, YamlLocator where, String path, String label)
            throws ScenarioException {
        return nodeCosts(section, new Reader(source, where, path), label);
    }

    private static NodeCosts nodeCosts(JsonNode section, Reader r, String label) throws ScenarioException {
        r.mapping(section, "", List.of("cores", "accept_backlog", "connect", "frame", "frame_default", "peer",
                "peer_default"));
        int cores = r.integer(r.required(section, "cores"), "cores", 1, NodeCosts.CORES_MAX);
        int backlog = r.integer(r.required(section, "accept_backlog"), "accept_backlog", 0, Integer.MAX_VALUE);
        ServiceTime connect = r.dist(r.required(section, "connect"), "connect");
        Map<String, ServiceTime> frames = r.kinds(section.get("frame"), "frame", kinds(Frame.class));
        ServiceTime frameDefault = r.dist(r.required(section, "frame_default"), "frame_default");
        Map<String, ServiceTime> peers = r.kinds(section.get("peer"), "peer", kinds(PeerMessage.class));
        ServiceTime peerDefault = r.dist(r.required(section, "peer_default"), "peer_default");
        return new NodeCosts(label, cores, backlog, connect, frames, frameDefault, peers, peerDefault);
    }

    private static StoreCosts storeCosts(JsonNode section, Reader r, String label) throws ScenarioException {
        List<String> ops = new ArrayList<>(kinds(StoreOp.class));
        List<String> allowed = new ArrayList<>(ops);
        allowed.add("default");
        allowed.add("queueing");
        r.mapping(section, "", allowed);
        Map<String, ServiceTime> times = new LinkedHashMap<>();
        for (String op : ops) {
            if (section.hasNonNull(op)) {
                times.put(op, r.dist(section.get(op), op));
            }
        }
        boolean concurrent = section.hasNonNull("queueing")
                && r.word(section.get("queueing"), "queueing", List.of("none", "one_at_a_time")).equals("none");
        return new StoreCosts(label, times, r.dist(r.required(section, "default"), "default"), concurrent);
    }

    /** The kinds of a sealed protocol type as model files name them: lower-case simple class names. */
    public static List<String> kinds(Class<?> sealed) {
        Set<String> out = new TreeSet<>();
        for (Class<?> k : sealed.getPermittedSubclasses()) {
            out.add(kindOf(k));
        }
        return List.copyOf(out);
    }

    /** {@code Frame.Send} -> {@code send}: the kind a model file and the real node's timers use. */
    public static String kindOf(Class<?> type) {
        return type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** Reads values under one mapping, naming their dotted paths in errors. */
    private record Reader(String source, YamlLocator where, String prefix) {

        Reader under(String key) {
            return new Reader(source, where, path(key));
        }

        String path(String key) {
            return prefix.isEmpty() ? key : key.isEmpty() ? prefix : prefix + "." + key;
        }

        ScenarioException error(String key, String reason) {
            String path = path(key);
            JsonLocation at = where.locate(path);
            return new ScenarioException(source, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    (path.isEmpty() ? "" : path + ": ") + reason);
        }

        JsonNode required(JsonNode parent, String key) throws ScenarioException {
            JsonNode value = parent.get(key);
            if (value == null || value.isNull()) {
                throw error("", "expected '" + key + "'");
            }
            return value;
        }

        void mapping(JsonNode node, String key, List<String> known) throws ScenarioException {
            if (node == null || !node.isObject()) {
                throw error(key, "expected a mapping with keys " + String.join(", ", known));
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!known.contains(field)) {
                    String at = key.isEmpty() ? field : key + "." + field;
                    throw error(at, "unknown key '" + field + "'; expected one of " + String.join(", ", known));
                }
            }
        }

        String word(JsonNode node, String key, List<String> allowed) throws ScenarioException {
            if (!node.isTextual() || !allowed.contains(node.asText())) {
                throw error(key, "expected one of " + String.join(", ", allowed) + ", got '" + node.asText() + "'");
            }
            return node.asText();
        }

        int integer(JsonNode node, String key, int min, int max) throws ScenarioException {
            if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < min || node.intValue() > max) {
                throw error(key, "expected an integer from " + min + " to " + max + ", got '" + node.asText() + "'");
            }
            return node.intValue();
        }

        double number(JsonNode node, String key, double min) throws ScenarioException {
            if (!node.isNumber() || !(node.doubleValue() >= min) || Double.isInfinite(node.doubleValue())) {
                throw error(key, "expected a number of " + min + " or more, got '" + node.asText() + "'");
            }
            return node.doubleValue();
        }

        Map<String, ServiceTime> kinds(JsonNode node, String key, List<String> known) throws ScenarioException {
            Map<String, ServiceTime> out = new LinkedHashMap<>();
            if (node == null || node.isNull()) {
                return out;
            }
            mapping(node, key, known);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String kind = it.next();
                out.put(kind, dist(node.get(kind), key + "." + kind));
            }
            return out;
        }

        /** A {@code <dist>}: {@code {dist: fixed, us: N}}, {@code lognormal} or {@code empirical}. */
        ServiceTime dist(JsonNode node, String key) throws ScenarioException {
            String example = "such as {dist: lognormal, median_us: 110, sigma: 0.6}";
            if (node == null || !node.isObject() || !node.hasNonNull("dist")) {
                throw error(key, "expected a service time with 'dist' (fixed, lognormal or empirical), " + example);
            }
            String dist = word(node.get("dist"), key + ".dist", List.of("fixed", "lognormal", "empirical"));
            List<String> known = new ArrayList<>(FIT_INFO);
            known.add("dist");
            switch (dist) {
                case "fixed" -> known.add("us");
                case "lognormal" -> known.addAll(List.of("median_us", "sigma"));
                default -> known.addAll(List.of("quantiles_us", "tail_us"));
            }
            mapping(node, key, known);
            for (String fit : FIT_INFO) {
                if (node.has(fit)) {
                    number(node.get(fit), key + "." + fit, 0);
                }
            }
            switch (dist) {
                case "fixed" -> {
                    JsonNode us = required(node, key, "us");
                    if (!us.isIntegralNumber() || us.longValue() < 0) {
                        throw error(key + ".us", "expected whole microseconds, 0 or more, got '" + us.asText() + "'");
                    }
                    return new ServiceTime.Fixed(us.longValue());
                }
                case "lognormal" -> {
                    double median = number(required(node, key, "median_us"), key + ".median_us", 0);
                    if (median == 0) {
                        throw error(key + ".median_us", "expected a median above 0 microseconds");
                    }
                    double sigma = number(required(node, key, "sigma"), key + ".sigma", 0);
                    if (sigma > 5) {
                        throw error(key + ".sigma", "expected a log-space spread from 0 to 5, got " + sigma);
                    }
                    return new ServiceTime.LogNormal(median, sigma);
                }
                default -> {
                    JsonNode q = required(node, key, "quantiles_us");
                    if (!q.isArray() || q.size() != ServiceTime.Empirical.POINTS) {
                        throw error(key + ".quantiles_us", "expected a list of " + ServiceTime.Empirical.POINTS
                                + " quantiles in microseconds (0%, 5%, ..., 100%)");
                    }
                    List<Double> points = new ArrayList<>();
                    for (int i = 0; i < q.size(); i++) {
                        double v = number(q.get(i), key + ".quantiles_us[" + i + "]", 0);
                        if (i > 0 && v < points.get(i - 1)) {
                            throw error(key + ".quantiles_us[" + i + "]", "expected quantiles that never decrease, got "
                                    + v + " after " + points.get(i - 1));
                        }
                        points.add(v);
                    }
                    List<Double> tail = new ArrayList<>();
                    JsonNode t = node.get("tail_us");
                    if (t != null) {
                        if (!t.isArray() || t.size() != ServiceTime.Empirical.TAIL_PERCENTS.size()) {
                            throw error(key + ".tail_us", "expected a list of " + ServiceTime.Empirical.TAIL_PERCENTS.size()
                                    + " quantiles in microseconds (96%, 97%, 98%, 99%, 99.5%, 99.9%)");
                        }
                        for (int i = 0; i < t.size(); i++) {
                            double v = number(t.get(i), key + ".tail_us[" + i + "]", 0);
                            double before = i == 0 ? points.get(ServiceTime.Empirical.POINTS - 2) : tail.get(i - 1);
                            if (v < before || v > points.get(ServiceTime.Empirical.POINTS - 1)) {
                                throw error(key + ".tail_us[" + i + "]", "expected a tail that never decreases, from the"
                                        + " 95% quantile (" + points.get(ServiceTime.Empirical.POINTS - 2) + ") to the maximum ("
                                        + points.get(ServiceTime.Empirical.POINTS - 1) + "), got " + v + (i == 0 ? "" : " after " + before));
                            }
                            tail.add(v);
                        }
                    }
                    return new ServiceTime.Empirical(points, tail);
                }
            }
        }

        private JsonNode required(JsonNode parent, String key, String child) throws ScenarioException {
            JsonNode value = parent.get(child);
            if (value == null || value.isNull()) {
                throw error(key, "expected '" + child + "'");
            }
            return value;
        }
    }
}
