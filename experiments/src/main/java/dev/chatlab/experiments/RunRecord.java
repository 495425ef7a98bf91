package dev.chatlab.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of an experiment as its files tell it: the exit code, the metrics, the invariants
 * violated and the SLO results, and what made it a failure, each named.
 *
 * @param variant  which cell of the matrix
 * @param seed     the run's seed (the same seeds run for every variant)
 * @param folder   the run's folder, relative to the experiment's
 * @param exitCode as {@code chatlab run} would have exited
 * @param values   metric name to value; a metric the run did not measure is absent
 * @param violated the invariants the checker found violated, by name (none at the coarse level, which judges none)
 * @param slo      the summary's {@code slo} section, or null when the scenario has no SLOs
 * @param problems why the run failed, one phrase each ({@code invariant no-lost-ack violated}); empty when it passed
 */
public record RunRecord(Variant variant, long seed, String folder, int exitCode, Map<String, Double> values,
                        List<String> violated, JsonNode slo, List<String> problems) {

    /** The problem of a run that sent no message: a comparison of nothing is not a pass. */
    static final String JUDGED_NOTHING = "judged nothing: no message was sent";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public boolean failed() {
        return !problems.isEmpty();
    }

    public boolean judgedNothing() {
        return problems.contains(JUDGED_NOTHING);
    }

    /** {@code v2 (client.reconnect=jitter) seed 3}. */
    public String name() {
        return variant.id() + (variant.settings().isEmpty() ? "" : " (" + variant.label() + ")") + " seed " + seed;
    }

    /** Reads what a finished run wrote to {@code dir}; {@code error} is the runner's reason when it could not run. */
    static RunRecord read(Variant variant, long seed, Path experimentDir, Path dir, ScenarioRunner.Outcome outcome,
                          List<Metric> metrics) {
        String folder = experimentDir.relativize(dir).toString().replace('\\', '/');
        List<String> problems = new ArrayList<>();
        if (outcome.error() != null) {
            problems.add("could not run: " + outcome.error());
            return new RunRecord(variant, seed, folder, outcome.exitCode(), Map.of(), List.of(), null, problems);
        }
        JsonNode summary = readJson(dir.resolve("summary.json"), problems);
        JsonNode verdict = readJson(dir.resolve("verdict.json"), problems);
        Map<String, Double> values = new LinkedHashMap<>();
        for (Metric m : metrics) {
            Double v;
            try {
                v = m.read(summary, dir);
            } catch (IOException | RuntimeException e) {
                problems.add("cannot read " + m.name() + ": " + e.getMessage());
                v = null;
            }
            if (v != null) {
                values.put(m.name(), v);
            }
        }
        List<String> violated = new ArrayList<>();
        for (Map.Entry<String, JsonNode> inv : verdict.path("invariants").properties()) {
            if ("violated".equals(inv.getValue().path("status").asText())) {
                violated.add(inv.getKey());
                problems.add("invariant " + inv.getKey() + " violated");
            }
        }
        JsonNode slo = summary.get("slo");
        if (slo != null) {
            for (JsonNode r : slo.path("results")) {
                if (!r.path("met").asBoolean()) {
                    problems.add("SLO " + r.path("slo").asText() + " not met (" + r.path("message").asText() + ")");
                }
            }
        }
        if (summary.path("counts").path("messages").asLong(0) == 0) {
            problems.add(JUDGED_NOTHING);
        }
        if (problems.isEmpty() && outcome.exitCode() != ScenarioRunner.OK) {
            problems.add("exit " + outcome.exitCode());
        }
        return new RunRecord(variant, seed, folder, outcome.exitCode(), values, List.copyOf(violated), slo, problems);
    }

    private static JsonNode readJson(Path file, List<String> problems) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            problems.add("cannot read " + file.getFileName() + ": " + e.getMessage());
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
