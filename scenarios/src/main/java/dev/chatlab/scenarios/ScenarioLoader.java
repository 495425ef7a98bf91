package dev.chatlab.scenarios;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.chatlab.core.strategy.FanOut;
import dev.chatlab.core.strategy.ReconnectPolicy;
import dev.chatlab.core.strategy.Routing;
import dev.chatlab.core.strategy.Sequencing;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a scenario file (YAML) into a validated {@link Scenario}. Every problem is reported as
 * {@code file:line:column: key: what was expected}: syntax errors, unknown keys (with the list of
 * known ones), wrong types, values out of range, faults naming nodes that do not exist.
 *
 * <pre>{@code
 * try {
 *     Scenario scenario = ScenarioLoader.load(Path.of("scenarios/library/smoke.yaml"));
 * } catch (ScenarioException e) {
 *     System.err.println(e.getMessage());   // smoke.yaml:4:10: topology.nodes: expected an integer, got 'three'
 * }
 * }</pre>
 */
public final class ScenarioLoader {

    /** Scenario time is bounded so that a typo (a missing unit) does not start a year-long run. */
    static final long DURATION_MAX_MICROS = 24L * 3_600 * 1_000_000;
    static final int NODES_MAX = 256;

    private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private ScenarioLoader() {
    }

    /** Loads and validates the file; the scenario's name defaults to the file name without extension. */
    public static Scenario load(Path file) throws ScenarioException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file.toString(), 0, 0, "no such scenario file");
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), 0, 0, "cannot read the scenario file: " + e.getMessage());
        }
        String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(file.toString(), base, text);
    }

    /** Validates {@code text}; {@code source} names it in errors, {@code defaultName} names the scenario if it does not. */
    public static Scenario parse(String source, String defaultName, String text) throws ScenarioException {
        if (text.isBlank()) {
            throw new ScenarioException(source, 0, 0, "the file is empty; expected a mapping such as 'duration: 10s'");
        }
        YamlLocator where = YamlLocator.of(text);
        RawScenario raw;
        try {
            raw = MAPPER.readValue(text, RawScenario.class);
        } catch (JsonProcessingException e) {
            throw fromJackson(source, e, where);
        }
        if (raw == null) {
            throw new ScenarioException(source, 0, 0, "the file holds no settings; expected a mapping such as 'duration: 10s'");
        }
        return new Validation(source, where).scenario(raw, defaultName);
    }

    private static ScenarioException fromJackson(String source, JsonProcessingException e, YamlLocator where) {
        JsonLocation at = e.getLocation();
        int line = at == null ? 0 : at.getLineNr();
        int column = at == null ? 0 : at.getColumnNr();
        String path = e instanceof JsonMappingException m ? path(m.getPath()) : "";
        String prefix = path.isEmpty() ? "" : path + ": ";
        String reason;
        if (e instanceof UnrecognizedPropertyException u) {
            Set<String> known = new TreeSet<>();
            for (Object id : u.getKnownPropertyIds()) {
                known.add(String.valueOf(id));
            }
            String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
            reason = "unknown key '" + u.getPropertyName() + "'" + (parent.isEmpty() ? "" : " in " + parent)
                    + "; expected one of: " + String.join(", ", known);
            prefix = "";
            JsonLocation key = where.locateKey(path);
            if (key != null) {
                line = key.getLineNr();
                column = key.getColumnNr();
            }
        } else if (e instanceof InvalidFormatException f) {
            reason = "expected " + describe(f.getTargetType()) + ", got '" + f.getValue() + "'";
        } else if (e instanceof MismatchedInputException m) {
            reason = "expected " + describe(m.getTargetType());
        } else if (e instanceof JsonMappingException m) {
            reason = oneLine(m.getOriginalMessage());
        } else if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
            // SnakeYAML's own message repeats the source with carets; a sentence reads better on one line.
            line = y.getProblemMark().getLine() + 1;
            column = y.getProblemMark().getColumn() + 1;
            reason = "not valid YAML: " + oneLine(y.getProblem());
            if (y.getContext() != null && y.getContextMark() != null) {
                reason += " (" + oneLine(y.getContext()) + " that starts at line " + (y.getContextMark().getLine() + 1)
                        + ", column " + (y.getContextMark().getColumn() + 1) + ")";
            }
        } else if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
            reason = "duplicate key " + e.getOriginalMessage().substring("Duplicate field ".length())
                    + "; a key may appear once in a mapping";
        } else {
            reason = "not valid YAML: " + oneLine(e.getOriginalMessage());
        }
        return new ScenarioException(source, line, column, prefix + reason);
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different kind of value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a single value (text)";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list ('- ' items)";
        }
        return "a mapping of keys to values";
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").trim();
    }

    /** The checks that need more than a type: ranges, words, and references between sections. */
    private static final class Validation {
        private final String source;
        private final YamlLocator where;

        Validation(String source, YamlLocator where) {
            this.source = source;
            this.where = where;
        }

        Scenario scenario(RawScenario raw, String defaultName) throws ScenarioException {
            String name = raw.name == null ? defaultName : raw.name;
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw error("name", "expected letters, digits, '.', '_' or '-' (it names the output folder), got '" + name + "'");
            }
            long duration = duration("duration", raw.duration);
            if (duration <= 0 || duration > DURATION_MAX_MICROS) {
                throw error("duration", "expected a duration above 0 and at most 24h, got '" + raw.duration + "'");
            }
            long quiesceAt = raw.quiesceAt == null ? duration - Math.min(5_000_000, duration / 2)
                    : duration("quiesce_at", raw.quiesceAt);
            if (quiesceAt <= 0 || quiesceAt >= duration) {
                throw error("quiesce_at", "expected a time after 0 and before the end of the run ("
                        + Durations.format(duration) + "), got '" + raw.quiesceAt + "'");
            }
            Scenario.Topology topology = topology(raw.topology == null ? new RawScenario.Topology() : raw.topology);
            Scenario.Population population = population(raw.population == null ? new RawScenario.Population() : raw.population);
            Scenario.Workload workload = workload(raw.workload == null ? new RawScenario.Workload() : raw.workload);
            Scenario.Client client = client(raw.client == null ? new RawScenario.Client() : raw.client);
            List<Scenario.Fault> faults = faults(raw.faults == null ? List.of() : raw.faults, topology, quiesceAt);
            return new Scenario(name, raw.seed, duration, quiesceAt, topology, population, workload, client, faults);
        }

        private Scenario.Topology topology(RawScenario.Topology t) throws ScenarioException {
            range("topology.nodes", t.nodes, 1, NODES_MAX);
            Sequencing sequencing = Sequencing.valueOf(word("topology.sequencing", t.sequencing, ScenarioWords.SEQUENCING)
                    .toUpperCase(Locale.ROOT).replace('-', '_'));
            String fan = word("topology.fanout", t.fanout, ScenarioWords.FANOUT);
            range("topology.hybrid_threshold", t.hybridThreshold, 0, Integer.MAX_VALUE);
            FanOut fanOut = switch (fan) {
                case "push" -> FanOut.push();
                case "pull" -> FanOut.pull();
                default -> FanOut.hybrid(t.hybridThreshold);
            };
            Routing routing = Routing.valueOf(word("topology.routing", t.routing, ScenarioWords.ROUTING).toUpperCase(Locale.ROOT));
            return new Scenario.Topology(t.nodes, sequencing, fanOut, routing);
        }

        private Scenario.Population population(RawScenario.Population p) throws ScenarioException {
            range("population.users", p.users, 2, 1_000_000);
            range("population.devices_per_user", p.devicesPerUser, 1, 16);
            range("population.chats", p.chats, 1, 1_000_000);
            range("population.group_size", p.groupSize, 2, p.users);
            return new Scenario.Population(p.users, p.devicesPerUser, p.chats, p.groupSize);
        }

        private Scenario.Workload workload(RawScenario.Workload w) throws ScenarioException {
            if (!(w.messagesPerSecond >= 0 && w.messagesPerSecond <= 1_000_000)) {
                throw error("workload.messages_per_second", "expected a rate from 0 to 1000000, got " + w.messagesPerSecond);
            }
            probability("workload.read_probability", w.readProbability);
            probability("workload.typing_probability", w.typingProbability);
            return new Scenario.Workload(w.messagesPerSecond, w.readProbability, w.typingProbability);
        }

        private Scenario.Client client(RawScenario.Client c) throws ScenarioException {
            String policy = word("client.reconnect", c.reconnect, ScenarioWords.RECONNECT);
            ReconnectPolicy reconnect;
            if (policy.equals("immediate")) {
                reconnect = new ReconnectPolicy.Immediate(positive("client.pause", c.pause));
            } else if (policy.equals("jitter")) {
                reconnect = new ReconnectPolicy.UniformJitter(positive("client.jitter_window", c.jitterWindow));
            } else {
                long base = positive("client.backoff_base", c.backoffBase);
                long cap = positive("client.backoff_cap", c.backoffCap);
                if (cap < base) {
                    throw error("client.backoff_cap", "expected at least backoff_base (" + Durations.format(base) + ")");
                }
                reconnect = new ReconnectPolicy.DecorrelatedBackoff(base, cap);
            }
            return new Scenario.Client(reconnect);
        }

        private List<Scenario.Fault> faults(List<RawScenario.Fault> raw, Scenario.Topology topology, long quiesceAt)
                throws ScenarioException {
            List<String> nodes = topology.nodeIds();
            List<Scenario.Fault> out = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                String path = "faults[" + i + "]";
                RawScenario.Fault f = raw.get(i);
                if (f == null) {
                    throw error(path, "expected a fault such as {at: 2s, kill: n1}");
                }
                int kinds = (f.kill != null ? 1 : 0) + (f.restart != null ? 1 : 0) + (f.skew != null ? 1 : 0);
                if (kinds != 1) {
                    throw error(path, "expected exactly one of kill, restart or skew (with a node name), found " + kinds);
                }
                if (f.at == null) {
                    throw error(path, "expected 'at', the time the fault fires");
                }
                long at = duration(path + ".at", f.at);
                if (at < 0 || at >= quiesceAt) {
                    throw error(path + ".at", "expected a time from 0 to before quiesce_at (" + Durations.format(quiesceAt)
                            + "): after it no fault fires; got '" + f.at + "'");
                }
                String key = f.kill != null ? "kill" : f.restart != null ? "restart" : "skew";
                String node = f.kill != null ? f.kill : f.restart != null ? f.restart : f.skew;
                if (!nodes.contains(node)) {
                    throw error(path + "." + key, "expected a node of the topology (n1.." + "n" + nodes.size() + "), got '" + node + "'");
                }
                if (f.skew != null) {
                    if (f.by == null) {
                        throw error(path, "expected 'by', the clock offset of a skew (such as -5s)");
                    }
                    out.add(new Scenario.Fault.Skew(at, node, duration(path + ".by", f.by)));
                } else {
                    if (f.by != null) {
                        throw error(path + ".by", "'by' belongs to a skew only");
                    }
                    out.add(f.kill != null ? new Scenario.Fault.Kill(at, node) : new Scenario.Fault.Restart(at, node));
                }
            }
            return out;
        }

        private long duration(String path, String text) throws ScenarioException {
            try {
                return Durations.parseMicros(text);
            } catch (IllegalArgumentException e) {
                throw error(path, e.getMessage());
            }
        }

        private long positive(String path, String text) throws ScenarioException {
            long micros = duration(path, text);
            if (micros <= 0) {
                throw error(path, "expected a duration above 0, got '" + text + "'");
            }
            return micros;
        }

        private String word(String path, String value, List<String> allowed) throws ScenarioException {
            if (value == null || !allowed.contains(value)) {
                throw error(path, "expected one of " + String.join(", ", allowed) + ", got '" + value + "'");
            }
            return value;
        }

        private void range(String path, int value, int min, int max) throws ScenarioException {
            if (value < min || value > max) {
                throw error(path, "expected an integer from " + min + " to " + max + ", got " + value);
            }
        }

        private void probability(String path, double value) throws ScenarioException {
            if (!(value >= 0 && value <= 1)) {
                throw error(path, "expected a probability from 0 to 1, got " + value);
            }
        }

        private ScenarioException error(String path, String reason) {
            JsonLocation at = where.locate(path);
            return new ScenarioException(source, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    path + ": " + reason);
        }
    }
}
