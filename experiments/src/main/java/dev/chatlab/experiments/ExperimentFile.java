package dev.chatlab.experiments;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.YamlLocator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An experiment as a file, so that CI can run it ({@code chatlab compare experiments/herd-jitter.yaml}):
 *
 * <pre>{@code
 * scenario: ../scenarios/library/server-kill-herd.yaml   # relative to this file
 * set: {client.reconnect: jitter}                        # --set for every run (optional)
 * vary:
 *   client.jitter_window: 0s..30s/7                      # a range, or a list [1s, 5s, 30s]
 * seeds: 10                                              # optional, as --seeds; seed: as --seed
 * metrics: [p99(send_to_ack), peak(connect_attempt_rate)]
 * until_ci: 5%                                           # optional, with max_seeds
 * engine: sim
 * }</pre>
 *
 * A bad file is refused with {@code file:line:column: key: what was expected}, as a scenario file
 * is. What the file leaves out, the command line's flags (or their defaults) give; a flag given on
 * the command line wins over the file.
 *
 * @param file     the experiment file
 * @param scenario the scenario file, resolved against the experiment file's folder
 * @param sets     {@code set:} as {@code KEY=VALUE} flags, in order
 * @param axes     {@code vary:}, in order
 * @param seeds    null when not given; likewise the rest
 */
public record ExperimentFile(Path file, Path scenario, List<String> sets, List<VaryAxis> axes, Integer seeds, Long seed,
                             String engine, List<String> metrics, Double untilCi, Integer maxSeeds) {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final List<String> KEYS = List.of("scenario", "set", "vary", "seeds", "seed", "engine", "metrics", "until_ci",
            "max_seeds");

    /** Whether {@code file} is an experiment rather than a scenario: a mapping with a {@code scenario:} key. */
    public static boolean isExperiment(Path file) {
        try {
            JsonNode tree = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
            return tree != null && tree.isObject() && tree.has("scenario");
        } catch (IOException e) {
            return false;   // the scenario loader reports what is wrong with it
        }
    }

    /** Loads and checks the file; the exception names its line and key. */
    public static ExperimentFile load(Path file) throws ScenarioException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), 0, 0, "cannot read the experiment file: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ScenarioException(file.toString(), at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    "not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ").trim());
        }
        Reader r = new Reader(file, YamlLocator.of(text));
        if (root == null || !root.isObject()) {
            throw r.error("", "expected a mapping with scenario:, vary: and the other keys of docs/experiments.md");
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!KEYS.contains(e.getKey())) {
                throw r.keyError(e.getKey(), "unknown key '" + e.getKey() + "'; expected one of: " + String.join(", ", KEYS));
            }
        }
        JsonNode scenarioNode = root.get("scenario");
        if (scenarioNode == null || !scenarioNode.isTextual() || scenarioNode.asText().isBlank()) {
            throw r.error("scenario", "scenario: expected the scenario file's path, relative to this file");
        }
        Path folder = file.toAbsolutePath().getParent();
        Path scenario = folder.resolve(scenarioNode.asText()).normalize();
        Path relative = Path.of("").toAbsolutePath().relativize(scenario);
        if (!Files.isRegularFile(scenario)) {
            throw r.error("scenario", "scenario: no such file: " + scenarioNode.asText() + " (from this file's folder: " + relative + ")");
        }
        List<String> sets = new ArrayList<>();
        JsonNode set = root.get("set");
        if (set != null) {
            if (!set.isObject()) {
                throw r.error("set", "set: expected a mapping of scenario keys to values, such as {client.reconnect: jitter}");
            }
            for (Map.Entry<String, JsonNode> e : set.properties()) {
                sets.add(e.getKey() + "=" + yaml(e.getValue()));
            }
        }
        List<VaryAxis> axes = new ArrayList<>();
        JsonNode vary = root.get("vary");
        if (vary != null) {
            if (!vary.isObject()) {
                throw r.error("vary", "vary: expected a mapping of scenario keys to values, such as {client.reconnect: [immediate, jitter]}");
            }
            for (Map.Entry<String, JsonNode> e : vary.properties()) {
                String path = "vary." + e.getKey();
                String where = r.where(path) + ": " + path;
                JsonNode v = e.getValue();
                if (v.isArray()) {
                    List<String> values = new ArrayList<>();
                    v.forEach(x -> values.add(yaml(x)));
                    axes.add(VaryAxis.listed(e.getKey(), values, e.getKey() + "=" + String.join(",", values), where));
                } else if (v.isValueNode()) {
                    axes.add(VaryAxis.of(e.getKey(), v.asText(), e.getKey() + "=" + v.asText(), where));
                } else {
                    throw r.error(path, path + ": expected a list of values or a range LO..HI/N");
                }
            }
        }
        Integer seeds = r.integer(root, "seeds", 1);
        Integer maxSeeds = r.integer(root, "max_seeds", 1);
        Long seed = root.has("seed") ? r.integer(root, "seed", Integer.MIN_VALUE).longValue() : null;
        String engine = null;
        if (root.has("engine")) {
            engine = root.get("engine").asText();
            if (ScenarioRunner.Engine.parse(engine) == null) {
                throw r.error("engine", "engine: expected sim or real, got '" + engine + "'");
            }
        }
        List<String> metrics = null;
        if (root.has("metrics")) {
            JsonNode m = root.get("metrics");
            if (!m.isArray() || m.isEmpty()) {
                throw r.error("metrics", "metrics: expected a list of metrics such as [p99(send_to_ack), delivered_fraction]");
            }
            metrics = new ArrayList<>();
            for (int i = 0; i < m.size(); i++) {
                try {
                    Metric.named(m.get(i).asText());
                } catch (IllegalArgumentException e) {
                    throw r.error("metrics[" + i + "]", "metrics[" + i + "]: " + e.getMessage());
                }
                metrics.add(m.get(i).asText());
            }
        }
        Double untilCi = null;
        if (root.has("until_ci")) {
            try {
                untilCi = percent(root.get("until_ci").asText(), "until_ci");
            } catch (ScenarioException e) {
                throw r.error("until_ci", "until_ci: expected a percentage of the mean above 0 and below 100, such as 5%");
            }
        }
        return new ExperimentFile(file, relative, List.copyOf(sets), List.copyOf(axes), seeds, seed, engine, metrics, untilCi, maxSeeds);
    }

    /** {@code 5%} as 0.05; {@code what} names the flag or key in the error. */
    public static double percent(String text, String what) throws ScenarioException {
        String t = text.trim();
        try {
            if (t.endsWith("%")) {
                double p = Double.parseDouble(t.substring(0, t.length() - 1).trim());
                if (p > 0 && p < 100) {
                    return p / 100;
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new ScenarioException(what + " " + text, 0, 0, "expected a percentage of the mean above 0 and below 100, such as 5%");
    }

    /** A value as {@code --set} takes it: a scalar as written, a list or mapping in flow style. */
    private static String yaml(JsonNode v) {
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** Where keys are, for the errors. */
    private record Reader(Path file, YamlLocator locator) {
        String where(String path) {
            JsonLocation at = locator.locate(path);
            return file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr());
        }

        ScenarioException error(String path, String reason) {
            JsonLocation at = locator.locate(path);
            return new ScenarioException(file.toString(), at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), reason);
        }

        ScenarioException keyError(String key, String reason) {
            JsonLocation at = locator.locateKey(key);
            return new ScenarioException(file.toString(), at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), reason);
        }

        Integer integer(JsonNode root, String key, int min) throws ScenarioException {
            JsonNode n = root.get(key);
            if (n == null) {
                return null;
            }
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min) {
                throw error(key, key + ": expected a whole number" + (min > Integer.MIN_VALUE ? " of at least " + min : "")
                        + ", got '" + n.asText() + "'");
            }
            return n.asInt();
        }
    }
}
