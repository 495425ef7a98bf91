package dev.chatlab.scenarios.coarse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.ScenarioLoader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a scenario file meant for the coarse level until the scenario loader knows
 * {@code level: coarse} and the {@code coarse:} section: it takes those two out, hands the rest to
 * {@link ScenarioLoader} (which validates it as usual) and reads the section with
 * {@link CoarseSettings#parse}. Line numbers in the loader's messages then count from the file
 * without those keys.
 *
 * <pre>{@code
 * CoarseScenarioFile file = CoarseScenarioFile.load(Path.of("scenarios/library/whatsapp-1m.yaml"));
 * CoarseRun.run(file.scenario(), file.settings(), seed, outDir, System.err);
 * }</pre>
 */
public record CoarseScenarioFile(Scenario scenario, CoarseSettings settings) {

    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());

    public static CoarseScenarioFile load(Path file) throws ScenarioException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), 0, 0, "cannot read the file: " + e.getMessage());
        }
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(file.toString(), name, text);
    }

    public static CoarseScenarioFile parse(String source, String defaultName, String text) throws ScenarioException {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            // Let the loader say what is wrong, with its line and column.
            ScenarioLoader.parse(source, defaultName, text);
            throw new ScenarioException(source, 0, 0, "unreadable YAML: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            ScenarioLoader.parse(source, defaultName, text);
            throw new ScenarioException(source, 0, 0, "expected a mapping");
        }
        JsonNode level = object.remove("level");
        if (level != null && !level.asText().equals("coarse") && !level.asText().equals("full")) {
            throw new ScenarioException(source, 0, 0, "level: expected full or coarse, got '" + level.asText() + "'");
        }
        JsonNode section = object.remove("coarse");
        CoarseSettings settings;
        try {
            if (section != null && !section.isNull() && !section.isObject()) {
                throw new IllegalArgumentException("coarse: expected a mapping of the keys " + String.join(", ", CoarseSettings.KEYS));
            }
            settings = section == null || section.isNull() ? CoarseSettings.defaults() : CoarseSettings.parse(asMap(section));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(source, 0, 0, e.getMessage());
        }
        String rest;
        try {
            rest = YAML.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new ScenarioException(source, 0, 0, "cannot re-read the file: " + e.getOriginalMessage());
        }
        return new CoarseScenarioFile(ScenarioLoader.parse(source, defaultName, rest), settings);
    }

    private static Map<String, Object> asMap(JsonNode section) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : section.properties()) {
            JsonNode v = e.getValue();
            out.put(e.getKey(), v.isNumber() ? v.numberValue() : v.asText());
        }
        return out;
    }
}
