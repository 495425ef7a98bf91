package dev.chatlab.scenarios;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.chatlab.chaos.Fault;
import dev.chatlab.chaos.FaultPlan;
import dev.chatlab.chaos.Swarm;
import dev.chatlab.core.strategy.FanOut;
import dev.chatlab.core.strategy.ReconnectPolicy;
import dev.chatlab.core.strategy.Routing;
import dev.chatlab.core.strategy.Sequencing;
import dev.chatlab.scenarios.model.ModelFile;
import dev.chatlab.scenarios.model.NodeCosts;
import dev.chatlab.scenarios.slo.Slo;
import dev.chatlab.scenarios.world.StoreModel;
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
    /** Ten thousand servers: the seed's 100M users at 100k connections each, with room to spare. */
    static final int NODES_MAX = 10_000;
    /** A billion users, the seed's "1 billion users" question; the heap check decides what actually runs. */
    static final int USERS_MAX = 1_000_000_000;
    /**
     * Ten million messages a second: the seed's 60 billion a day is 694k/s on average and at most
     * twice that at the peak of a diurnal swing of amplitude 1; ten times leaves room for what-ifs.
     */
    static final double RATE_MAX = 10_000_000;
    /** The keys that name a fault's kind in a schedule entry. */
    static final List<String> FAULT_KEYS = List.of("kill", "restart", "skew", "partition", "cut", "heal", "spike",
            "slow_disk", "disconnect", "store_kill");

    private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // 'spike: n1' reads as the list [n1]
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();

    private ScenarioLoader() {
    }

    /** Loads and validates the file; the scenario's name defaults to the file name without extension. */
    public static Scenario load(Path file) throws ScenarioException {
        return load(file, List.of());
    }

    /**
     * Loads the file with the command line's {@code --set KEY=VALUE} flags applied to it first
     * (see {@link ScenarioOverrides}): a bad or unknown overridden key is reported naming its flag,
     * {@code --set topology.nodes=abc: expected an integer, got 'abc'}.
     */
    public static Scenario load(Path file, List<String> overrides) throws ScenarioException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file.toString(), 0, 0, "no such scenario file");
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), 0, 0, "cannot read the scenario file: " + e.getMessage());
        }
        String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(file.toString(), base, text, overrides);
    }

    /** Validates {@code text}; {@code source} names it in errors, {@code defaultName} names the scenario if it does not. */
    public static Scenario parse(String source, String defaultName, String text) throws ScenarioException {
        return parse(source, defaultName, text, List.of());
    }

    /** Like {@link #parse(String, String, String)}, with {@code --set} flags applied to the text's YAML tree first. */
    public static Scenario parse(String source, String defaultName, String text, List<String> overrideFlags)
            throws ScenarioException {
        ScenarioOverrides overrides = ScenarioOverrides.parse(overrideFlags, MAPPER);
        if (text.isBlank() && overrides.isEmpty()) {
            throw new ScenarioException(source, 0, 0, "the file is empty; expected a mapping such as 'duration: 10s'");
        }
        FlowBrackets.check(source, text);
        YamlLocator where = YamlLocator.of(text);
        RawScenario raw;
        if (overrides.isEmpty()) {
            try {
                raw = MAPPER.readValue(text, RawScenario.class);
            } catch (JsonProcessingException e) {
                throw fromJackson(source, e, where, overrides);
            }
        } else {
            JsonNode tree;
            try {
                tree = text.isBlank() ? null : MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw fromJackson(source, e, where, overrides);
            }
            try {
                raw = MAPPER.treeToValue(overrides.applyTo(tree), RawScenario.class);
            } catch (JsonProcessingException e) {
                throw fromJackson(source, e, where, overrides);
            }
        }
        if (raw == null) {
            throw new ScenarioException(source, 0, 0, "the file holds no settings; expected a mapping such as 'duration: 10s'");
        }
        return new Validation(source, where, overrides).scenario(raw, defaultName);
    }

    private static ScenarioException fromJackson(String source, JsonProcessingException e, YamlLocator where,
                                                 ScenarioOverrides overrides) {
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
        if (!overrides.isEmpty()) {
            ScenarioException flagged = overrides.blame(path, prefix + reason);
            if (flagged != null) {
                return flagged;
            }
            if (line <= 0) {
                // Bound from the tree, which has no locations: find the key in the file's text.
                JsonLocation written = where.locate(path);
                line = written == null ? 0 : written.getLineNr();
                column = written == null ? 0 : written.getColumnNr();
            }
            reason += overrides.note();
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
        private final ScenarioOverrides overrides;

        Validation(String source, YamlLocator where, ScenarioOverrides overrides) {
            this.source = source;
            this.where = where;
            this.overrides = overrides;
        }

        Scenario scenario(RawScenario raw, String defaultName) throws ScenarioException {
            String name = raw.name == null ? defaultName : raw.name;
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw error("name", "expected letters, digits, '.', '_' or '-' (it names the output folder), got '" + name + "'");
            }
            String levelWord = word("level", raw.level, ScenarioWords.LEVEL);
            Scenario.Level level = levelWord.equals("coarse") ? Scenario.Level.COARSE : Scenario.Level.FULL;
            java.util.Map<String, Object> coarse = raw.coarse == null ? java.util.Map.of() : java.util.Map.copyOf(raw.coarse);
            // A file may hold both levels' terms for one world (compare --vary level=coarse,full): the
            // coarse: section is checked here at either level and applied only at the coarse one.
            dev.chatlab.scenarios.coarse.CoarseSettings coarseSettings;
            try {
                coarseSettings = dev.chatlab.scenarios.coarse.CoarseSettings.parse(coarse);
            } catch (IllegalArgumentException e) {
                throw error("coarse", e.getMessage());
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
            long convergeWithin = raw.convergeWithin == null ? Scenario.CONVERGE_WITHIN_DEFAULT_MICROS
                    : duration("converge_within", raw.convergeWithin);
            if (convergeWithin <= 0 || convergeWithin > DURATION_MAX_MICROS) {
                throw error("converge_within", "expected a duration above 0 and at most 24h (how long after the quiesce"
                        + " a run may wait for every device to catch up), got '" + raw.convergeWithin + "'");
            }
            Scenario.Topology topology = topology(raw.topology == null ? new RawScenario.Topology() : raw.topology,
                    raw.store != null && "rocksdb".equals(raw.store.kind));
            Scenario.Population population = population(raw.population == null ? new RawScenario.Population() : raw.population);
            Scenario.Workload workload = workload(raw.workload == null ? new RawScenario.Workload() : raw.workload);
            if (workload.warmupMicros() >= quiesceAt) {
                throw error("workload.warmup", "expected a time before quiesce_at (" + Durations.format(quiesceAt)
                        + "): latency is measured from the warm-up to the quiesce, got '" + raw.workload.warmup + "'");
            }
            Scenario.Client client = client(raw.client == null ? new RawScenario.Client() : raw.client);
            Scenario.Network network = network(raw.network == null ? new RawScenario.Network() : raw.network);
            StoreModel store = store(raw.store == null ? new RawScenario.Store() : raw.store);
            Scenario.RealStore realStore = realStore(raw.store == null ? new RawScenario.Store() : raw.store, topology);
            Scenario.Chaos faults = faults(raw.faults == null ? new RawScenario.Faults() : raw.faults, topology, realStore,
                    quiesceAt);
            JsonNode costsWritten = raw.server == null ? null : raw.server.costs;
            NodeCosts costs = costsWritten == null || costsWritten.isNull()
                    ? level == Scenario.Level.FULL ? modelFile("server.costs", Scenario.COSTS_MODEL_DEFAULT).node() : null
                    : costs(costsWritten);
            if (level == Scenario.Level.COARSE) {
                if (costs != null) {
                    throw error("server.costs", "the nodes' costs are modelled at level full only (the coarse level has"
                            + " its own service times under coarse:)");
                }
                fullOnly(population, workload);
                provisioned(topology, population, coarseSettings);
                if (topology.pinned()) {
                    throw error("topology.ownership", "pinned homes are modelled at level full only");
                }
            }
            String presence = raw.presence == null ? Scenario.PRESENCE_DEFAULT : word("presence", raw.presence, ScenarioWords.PRESENCE);
            Scenario scenario = new Scenario(name, raw.seed, level, duration, quiesceAt, convergeWithin, topology, population,
                    workload, client, network, store, faults, coarse, slos(raw.slo), overrides.written(), realStore, costs,
                    presence);
            if (level == Scenario.Level.COARSE) {
                coarseScope(scenario, raw.faults == null ? new RawScenario.Faults() : raw.faults);
            }
            return scenario;
        }

        /**
         * {@code server.costs} as written: none (free work), a {@code kind: node} model file, or the
         * costs written out. Not written, a full-level file gets {@link Scenario#COSTS_MODEL_DEFAULT}.
         */
        private NodeCosts costs(JsonNode written) throws ScenarioException {
            String path = "server.costs";
            String expected = "expected none, {model: FILE} (a kind: node model file) or the costs written out"
                    + " ({cores: 2, accept_backlog: 1024, connect: {dist: fixed, us: 150}, frame_default: ..., peer_default: ...})";
            if (written.isTextual() && written.asText().equals("none")) {
                return null;
            }
            if (!written.isObject()) {
                throw error(path, expected + ", got '" + written.asText() + "'");
            }
            if (written.has("model")) {
                if (written.size() != 1) {
                    throw error(path, "a model file gives every cost: expected 'model' alone, or the costs without it");
                }
                ModelFile model = modelFile(path + ".model", written.get("model").asText());
                if (model.node() == null) {
                    throw error(path + ".model", "expected a kind: node model file, got kind: " + model.kind());
                }
                return model.node();
            }
            return ModelFile.nodeCosts(written, source, where, path, "inline");
        }

        /**
         * Reads a model file named in the scenario: as written if absolute, else the first found
         * from the working directory, then from the scenario file's folder upwards (a file under
         * scenarios/library names models/local-node.yaml of the repository it lives in), else the
         * copy of the repository's models/ this module was built with.
         */
        private ModelFile modelFile(String path, String written) throws ScenarioException {
            List<Path> tried = new ArrayList<>();
            Path asWritten = Path.of(written);
            tried.add(asWritten);
            if (!asWritten.isAbsolute()) {
                for (Path dir = Path.of(source).toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
                    tried.add(dir.resolve(written));
                }
            }
            for (Path file : tried) {
                if (Files.isRegularFile(file)) {
                    String text;
                    try {
                        text = Files.readString(file, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw error(path, "cannot read the model file " + file + ": " + e.getMessage());
                    }
                    return ModelFile.parse(file.toString(), written, text);
                }
            }
            if (written.startsWith("models/") && !written.contains("..")) {
                try (java.io.InputStream built = ScenarioLoader.class.getResourceAsStream("/" + written)) {
                    if (built != null) {
                        return ModelFile.parse(written, written, new String(built.readAllBytes(), StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    throw error(path, "cannot read the model file " + written + ": " + e.getMessage());
                }
            }
            throw error(path, "no model file '" + written + "' in the working directory or above the scenario file");
        }

        private static boolean isModelFile(String word) {
            return word != null && (word.endsWith(".yaml") || word.endsWith(".yml"));
        }

        /** Refuses what the coarse level would otherwise ignore (see {@link CoarseScope}). */
        private void coarseScope(Scenario scenario, RawScenario.Faults raw) throws ScenarioException {
            List<RawScenario.Fault> list = raw.schedule == null ? List.of() : raw.schedule;
            String prefix = where.has("faults.schedule") ? "faults.schedule" : "faults";
            for (int i = 0; i < list.size(); i++) {
                String key = faultKey(list.get(i));
                String why = CoarseScope.faultRefusal(key);
                if (why != null) {
                    throw error(prefix + "[" + i + "]." + key, why);
                }
            }
            CoarseScope.Refusal refused = CoarseScope.refusal(scenario);
            if (refused != null) {
                throw error(refused.path(), refused.reason());
            }
        }

        private static String faultKey(RawScenario.Fault f) {
            return f.kill != null ? "kill" : f.restart != null ? "restart" : f.skew != null ? "skew"
                    : f.partition != null ? "partition" : f.cut != null ? "cut" : f.heal != null ? "heal"
                    : f.spike != null ? "spike" : f.slowDisk != null ? "slow_disk" : "disconnect";
        }

        /** {@code nodeLocalStore}: RocksDB, whose chats stay on their home's disk, so ownership is pinned unless written. */
        private Scenario.Topology topology(RawScenario.Topology t, boolean nodeLocalStore) throws ScenarioException {
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
            long ttl = positive("topology.presence_ttl", t.presenceTtl);
            String ownership = t.ownership != null ? t.ownership : nodeLocalStore ? "pinned" : "follow-membership";
            boolean pinned = word("topology.ownership", ownership, ScenarioWords.OWNERSHIP).equals("pinned");
            return new Scenario.Topology(t.nodes, sequencing, fanOut, routing, t.fencing, ttl, pinned);
        }

        private Scenario.Population population(RawScenario.Population p) throws ScenarioException {
            range("population.users", p.users, 2, USERS_MAX);
            range("population.devices_per_user", p.devicesPerUser, 1, 16);
            range("population.chats", p.chats, 0, USERS_MAX);
            range("population.group_size", p.groupSize, 2, p.users);
            range("population.mega_chats", p.megaChats, 0, 1_000);
            if (p.megaChats > 0) {
                range("population.mega_group_size", p.megaGroupSize, 2, p.users);
            } else if (p.megaGroupSize != 0) {
                throw error("population.mega_group_size", "only with mega_chats above 0");
            }
            if (p.chats + p.megaChats == 0) {
                throw error("population.chats", "expected at least one chat (chats or mega_chats)");
            }
            return new Scenario.Population(p.users, p.devicesPerUser, p.chats, p.groupSize, p.megaChats, p.megaGroupSize,
                    groupSizes(p.groupSizes, p.users));
        }

        private Scenario.GroupSizes groupSizes(RawScenario.Shape shape, int users) throws ScenarioException {
            String path = "population.group_sizes";
            if (shape == null) {
                return Scenario.GroupSizes.fixed();
            }
            String kind = distribution(path, shape, List.of("fixed", "zipf"));
            if (kind.equals("fixed")) {
                if (shape.exponent != null || shape.max != null) {
                    throw error(shape.exponent != null ? path + ".exponent" : path + ".max",
                            "belongs to 'distribution: zipf' only");
                }
                return Scenario.GroupSizes.fixed();
            }
            double exponent = exponent(path + ".exponent", shape.exponent);
            if (shape.max == null) {
                throw error(path, "expected 'max', the largest chat size (2..users), such as {distribution: zipf, max: 40}");
            }
            range(path + ".max", shape.max, 2, users);
            return Scenario.GroupSizes.zipf(exponent, shape.max);
        }

        private Scenario.Activity activity(RawScenario.Shape shape) throws ScenarioException {
            String path = "workload.user_activity";
            if (shape == null) {
                return Scenario.Activity.uniform();
            }
            String kind = distribution(path, shape, List.of("uniform", "zipf"));
            if (shape.max != null) {
                throw error(path + ".max", "belongs to population.group_sizes only");
            }
            if (kind.equals("uniform")) {
                if (shape.exponent != null) {
                    throw error(path + ".exponent", "belongs to 'distribution: zipf' only");
                }
                return Scenario.Activity.uniform();
            }
            return Scenario.Activity.zipf(exponent(path + ".exponent", shape.exponent));
        }

        /** The word of a shape, written alone ({@code zipf}) or as {@code distribution: zipf} in a mapping. */
        private String distribution(String path, RawScenario.Shape shape, List<String> allowed) throws ScenarioException {
            if (shape.distribution == null) {
                throw error(path, "expected 'distribution' (one of " + String.join(", ", allowed) + ")");
            }
            return word(where.has(path + ".distribution") ? path + ".distribution" : path, shape.distribution, allowed);
        }

        /** A Zipf exponent, 1 when not given. */
        private double exponent(String path, Double value) throws ScenarioException {
            double exponent = value == null ? 1.0 : value;
            if (!(exponent > 0 && exponent <= 10)) {
                throw error(path, "expected a Zipf exponent above 0 and at most 10, got " + exponent);
            }
            return exponent;
        }

        private Scenario.Diurnal diurnal(RawScenario.Diurnal d) throws ScenarioException {
            String path = "workload.diurnal";
            if (d == null) {
                return Scenario.Diurnal.none();
            }
            if (d.amplitude == null || d.period == null) {
                throw error(path, "expected 'amplitude' (0 to 1) and 'period' (a duration), such as {amplitude: 0.8, period: 10s}");
            }
            if (!(d.amplitude >= 0 && d.amplitude <= 1)) {
                throw error(path + ".amplitude", "expected a fraction of the rate from 0 to 1, got " + d.amplitude);
            }
            long period = positive(path + ".period", d.period);
            if (period > DURATION_MAX_MICROS) {
                throw error(path + ".period", "expected at most 24h, got '" + d.period + "'");
            }
            return d.amplitude == 0 ? Scenario.Diurnal.none() : new Scenario.Diurnal(d.amplitude, period);
        }

        /** The coarse model draws its own load: the shapes of the full model's workload do not apply to it. */
        private void fullOnly(Scenario.Population p, Scenario.Workload w) throws ScenarioException {
            if (p.groupSizes().zipf()) {
                throw error("population.group_sizes", "applies to 'level: full' only");
            }
            if (!w.diurnal().isNone()) {
                throw error("workload.diurnal", "applies to 'level: full' only");
            }
            if (w.userActivity().zipf()) {
                throw error("workload.user_activity", "applies to 'level: full' only");
            }
            if (w.thinkTimeMicros() > 0) {
                throw error("workload.think_time", "applies to 'level: full' only");
            }
        }

        private Scenario.Workload workload(RawScenario.Workload w) throws ScenarioException {
            if (!(w.messagesPerSecond >= 0 && w.messagesPerSecond <= RATE_MAX)) {
                throw error("workload.messages_per_second", "expected a rate from 0 to 10000000, got " + w.messagesPerSecond);
            }
            probability("workload.read_probability", w.readProbability);
            probability("workload.typing_probability", w.typingProbability);
            if (!(w.churnPerSecond >= 0 && w.churnPerSecond <= 1_000_000)) {
                throw error("workload.churn_per_second", "expected a rate from 0 to 1000000, got " + w.churnPerSecond);
            }
            long offline = positive("workload.offline_time", w.offlineTime);
            long think = w.thinkTime == null ? 0 : duration("workload.think_time", w.thinkTime);
            if (think < 0 || think > DURATION_MAX_MICROS) {
                throw error("workload.think_time", "expected a duration from 0 to 24h, got '" + w.thinkTime + "'");
            }
            long warmup = w.warmup == null ? 0 : duration("workload.warmup", w.warmup);
            if (warmup < 0 || warmup > DURATION_MAX_MICROS) {
                throw error("workload.warmup", "expected a duration from 0 to 24h, got '" + w.warmup + "'");
            }
            return new Scenario.Workload(w.messagesPerSecond, w.readProbability, w.typingProbability, w.watchPresence,
                    w.churnPerSecond, offline, diurnal(w.diurnal), activity(w.userActivity), think, warmup);
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
            long loginSpread;
            if (c.loginSpread == null) {
                loginSpread = Scenario.Client.LOGIN_SPREAD_DEFAULT_MICROS;
            } else if ("paced".equals(c.loginSpread)) {
                loginSpread = Scenario.Client.LOGIN_PACED;
            } else {
                try {
                    loginSpread = Durations.parseMicros(c.loginSpread);
                } catch (IllegalArgumentException e) {
                    throw error("client.login_spread", "expected paced (as a real run) or a duration such as 2s, got '"
                            + c.loginSpread + "'");
                }
                loginSpread = positive("client.login_spread", c.loginSpread);
            }
            if (loginSpread > DURATION_MAX_MICROS) {
                throw error("client.login_spread", "expected at most 24h, got '" + c.loginSpread + "'");
            }
            long fleetFrame = c.fleetFrame == null ? 0 : positive("client.fleet_frame", c.fleetFrame);
            if (fleetFrame > 1_000_000) {
                throw error("client.fleet_frame", "expected at most 1s a frame, got '" + c.fleetFrame + "'");
            }
            return new Scenario.Client(reconnect, positive("client.heartbeat", c.heartbeat), loginSpread, fleetFrame);
        }

        private Scenario.Network network(RawScenario.Network n) throws ScenarioException {
            Scenario.Link client = link("network.client", n.client, 20_000, 0.5);
            Scenario.Link node = link("network.node", n.node, 200, 0.3);
            Scenario.Link store = link("network.store", n.store, 300, 0.3);
            return new Scenario.Network(client, node, store, positive("network.failure_detection", n.failureDetection),
                    positive("network.connect_timeout", n.connectTimeout));
        }

        private Scenario.Link link(String path, RawScenario.Link l, long medianDefault, double sigmaDefault)
                throws ScenarioException {
            RawScenario.Link raw = l == null ? new RawScenario.Link() : l;
            long median = raw.median == null ? medianDefault : positive(path + ".median", raw.median);
            double sigma = raw.sigma == null ? sigmaDefault : raw.sigma;
            if (!(sigma >= 0 && sigma <= 3)) {
                throw error(path + ".sigma", "expected a log-space spread from 0 to 3, got " + sigma);
            }
            long jitter = raw.jitter == null ? 0 : duration(path + ".jitter", raw.jitter);
            if (jitter < 0) {
                throw error(path + ".jitter", "expected a duration of 0 or more, got '" + raw.jitter + "'");
            }
            double loss = raw.loss == null ? 0 : raw.loss;
            probability(path + ".loss", loss);
            return new Scenario.Link(median, sigma, jitter, loss);
        }

        /** The store a real run starts: the file's {@code store.kind}, or the default of its topology. */
        private Scenario.RealStore realStore(RawScenario.Store s, Scenario.Topology topology) throws ScenarioException {
            String path = where.has("store.kind") ? "store.kind" : "store";
            Scenario.RealCache cache = realCache(s.cache);
            String durability = s.durability == null ? null : word("store.durability", s.durability, ScenarioWords.DURABILITY);
            if (s.kind == null) {
                if (s.shards != null) {
                    throw error("store.shards", "belongs to store kind postgres-sharded; name it with store.kind");
                }
                return cache == null && durability == null ? Scenario.RealStore.DEFAULT
                        : new Scenario.RealStore(null, 0, cache, durability);
            }
            String kind = word(path, s.kind, ScenarioWords.STORE_KIND);
            if (kind.equals("rocksdb") != topology.pinned()) {
                throw error(path, topology.pinned()
                        ? "pinned homes keep each chat on their own disk: expected rocksdb (or no store.kind), got '" + kind + "'"
                        : "rocksdb is node-local and needs topology.ownership: pinned (a chat that moved would start"
                                + " again from another node's empty disk)");
            }
            if (s.shards != null && !kind.equals("postgres-sharded")) {
                throw error("store.shards", "belongs to store kind postgres-sharded, not " + kind);
            }
            int shards = s.shards == null ? Scenario.RealStore.SHARDS_DEFAULT : s.shards;
            if (shards < 1 || shards > 16) {
                throw error("store.shards", "expected from 1 to 16 servers, got " + shards);
            }
            return new Scenario.RealStore(kind, kind.equals("postgres-sharded") ? shards : 0, cache, durability);
        }

        /** {@code store.cache}: a word or a mapping with a kind and how many recent messages a chat it keeps. */
        private Scenario.RealCache realCache(RawScenario.Cache c) throws ScenarioException {
            if (c == null) {
                return null;
            }
            String kind = word(where.has("store.cache.kind") ? "store.cache.kind" : "store.cache", c.kind, ScenarioWords.CACHE_KIND);
            int recent = c.recent == null ? Scenario.RealCache.RECENT_DEFAULT : c.recent;
            if (recent < 1 || recent > 100_000) {
                throw error("store.cache.recent", "expected from 1 to 100000 messages a chat, got " + recent);
            }
            return new Scenario.RealCache(kind, recent);
        }

        private StoreModel store(RawScenario.Store s) throws ScenarioException {
            if (isModelFile(s.model)) {
                String[] keys = {"write", "read", "sigma", "compaction_every", "compaction_stall"};
                Object[] values = {s.write, s.read, s.sigma, s.compactionEvery, s.compactionStall};
                for (int i = 0; i < keys.length; i++) {
                    if (values[i] != null) {
                        throw error("store." + keys[i], "belongs to the lsm and btree models; the model file "
                                + s.model + " gives every operation's time");
                    }
                }
                ModelFile file = modelFile("store.model", s.model);
                if (file.store() == null) {
                    throw error("store.model", "expected a kind: store model file, got kind: " + file.kind());
                }
                StoreModel engine = s.kind != null && s.kind.startsWith("postgres") ? StoreModel.btree() : StoreModel.lsm();
                return engine.withOps(file.store());
            }
            // A real store kind named without a model picks the model of its engine: B-tree for
            // PostgreSQL, LSM for the others; a file with neither keeps the LSM default.
            String model = s.model != null ? s.model : s.kind != null && s.kind.startsWith("postgres") ? "btree" : "lsm";
            if (!ScenarioWords.STORE_MODEL.contains(model)) {
                throw error("store.model", "expected one of " + String.join(", ", ScenarioWords.STORE_MODEL)
                        + ", or a kind: store model file (a path ending in .yaml), got '" + model + "'");
            }
            StoreModel base = model.equals("lsm") ? StoreModel.lsm() : StoreModel.btree();
            long write = s.write == null ? base.writeMedianMicros() : positive("store.write", s.write);
            long read = s.read == null ? base.readMedianMicros() : positive("store.read", s.read);
            double sigma = s.sigma == null ? base.sigma() : s.sigma;
            if (!(sigma >= 0 && sigma <= 3)) {
                throw error("store.sigma", "expected a log-space spread from 0 to 3, got " + sigma);
            }
            if (base.kind() == StoreModel.Kind.BTREE && (s.compactionEvery != null || s.compactionStall != null)) {
                throw error(s.compactionEvery != null ? "store.compaction_every" : "store.compaction_stall",
                        "compaction belongs to the lsm model only");
            }
            int every = s.compactionEvery == null ? base.compactionEveryWrites() : s.compactionEvery;
            if (every < 0) {
                throw error("store.compaction_every", "expected 0 (never) or a number of writes, got " + every);
            }
            long stall = s.compactionStall == null ? base.compactionStallMicros() : duration("store.compaction_stall", s.compactionStall);
            if (stall < 0) {
                throw error("store.compaction_stall", "expected a duration of 0 or more, got '" + s.compactionStall + "'");
            }
            return new StoreModel(base.kind(), write, read, sigma, every, stall);
        }

        private Scenario.Chaos faults(RawScenario.Faults raw, Scenario.Topology topology, Scenario.RealStore store,
                                      long quiesceAt) throws ScenarioException {
            List<RawScenario.Fault> list = raw.schedule == null ? List.of() : raw.schedule;
            // A plain list is the schedule itself; under a mapping it sits under 'schedule'.
            String prefix = where.has("faults.schedule") ? "faults.schedule" : "faults";
            FaultPlan plan = FaultPlan.empty();
            for (int i = 0; i < list.size(); i++) {
                String path = prefix + "[" + i + "]";
                plan = plan.at(at(path, list.get(i), quiesceAt), fault(path, list.get(i), topology, store), "file");
            }
            Swarm swarm = raw.swarm == null ? null : swarm(raw.swarm, quiesceAt);
            return new Scenario.Chaos(plan, swarm);
        }

        /** {@code store} (every server of the store) or {@code shard-N} of a sharded PostgreSQL. */
        private String storeTarget(String path, String target, Scenario.Topology topology, Scenario.RealStore store)
                throws ScenarioException {
            String kind = store.kindFor(topology);
            if (kind.equals("rocksdb")) {
                throw error(path, "rocksdb lives inside each node's process: there is no store process to kill"
                        + " (kill the node instead, such as {at: 20s, kill: n1, for: 5s})");
            }
            if (target.equals(Fault.StoreKill.WHOLE)) {
                return target;
            }
            int shards = kind.equals("postgres-sharded") ? store.shards() : 0;
            if (shards == 0) {
                throw error(path, "expected 'store' (a " + kind + " store has no shards), got '" + target + "'");
            }
            if (!target.matches("shard-[1-9][0-9]*") || Integer.parseInt(target.substring("shard-".length())) > shards) {
                throw error(path, "expected 'store' or shard-1 to shard-" + shards + ", got '" + target + "'");
            }
            return target;
        }

        private long at(String path, RawScenario.Fault f, long quiesceAt) throws ScenarioException {
            if (f == null) {
                throw error(path, "expected a fault such as {at: 2s, kill: n1}");
            }
            if (f.at == null) {
                throw error(path, "expected 'at', the time the fault fires");
            }
            long at = duration(path + ".at", f.at);
            if (at < 0 || at >= quiesceAt) {
                throw error(path + ".at", "expected a time from 0 to before quiesce_at (" + Durations.format(quiesceAt)
                        + "): after it no fault fires; got '" + f.at + "'");
            }
            return at;
        }

        private Fault fault(String path, RawScenario.Fault f, Scenario.Topology topology, Scenario.RealStore store)
                throws ScenarioException {
            List<String> nodes = topology.nodeIds();
            int kinds = (f.kill != null ? 1 : 0) + (f.restart != null ? 1 : 0) + (f.skew != null ? 1 : 0)
                    + (f.partition != null ? 1 : 0) + (f.cut != null ? 1 : 0) + (f.heal != null ? 1 : 0)
                    + (f.spike != null ? 1 : 0) + (f.slowDisk != null ? 1 : 0) + (f.disconnect != null ? 1 : 0)
                    + (f.storeKill != null ? 1 : 0);
            if (kinds != 1) {
                throw error(path, "expected exactly one of " + String.join(", ", FAULT_KEYS) + ", found " + kinds);
            }
            long lasts = f.lasts == null ? 0 : positive(path + ".for", f.lasts);
            if (f.to != null && f.cut == null) {
                throw error(path + ".to", "'to' belongs to a cut only");
            }
            if (f.by != null && f.skew == null && f.spike == null) {
                throw error(path + ".by", "'by' belongs to a skew or a spike only");
            }
            if (f.lasts != null && (f.restart != null || f.skew != null || f.heal != null || f.disconnect != null)) {
                throw error(path + ".for", "'for' belongs to kill, partition, cut, spike, slow_disk and store_kill only");
            }
            if (f.storeKill != null) {
                return new Fault.StoreKill(storeTarget(path + ".store_kill", f.storeKill, topology, store), lasts);
            }
            if (f.kill != null) {
                return new Fault.Kill(node(path + ".kill", f.kill, nodes), lasts);
            } else if (f.restart != null) {
                return new Fault.Restart(node(path + ".restart", f.restart, nodes));
            } else if (f.skew != null) {
                if (f.by == null) {
                    throw error(path, "expected 'by', the clock offset of a skew (such as -5s)");
                }
                return new Fault.ClockSkew(node(path + ".skew", f.skew, nodes), duration(path + ".by", f.by));
            } else if (f.partition != null) {
                if (f.partition.size() < 2) {
                    throw error(path + ".partition", "expected two sides or more, such as [[n1], [n2, n3]]");
                }
                java.util.Set<String> seen = new java.util.TreeSet<>();
                for (int s = 0; s < f.partition.size(); s++) {
                    List<String> side = f.partition.get(s);
                    if (side == null || side.isEmpty()) {
                        throw error(path + ".partition[" + s + "]", "expected a non-empty list of nodes");
                    }
                    for (String node : side) {
                        if (!seen.add(node(path + ".partition[" + s + "]", node, nodes))) {
                            throw error(path + ".partition[" + s + "]", "node '" + node + "' is on two sides");
                        }
                    }
                }
                return new Fault.Partition(f.partition, lasts);
            } else if (f.cut != null) {
                if (f.to == null) {
                    throw error(path, "expected 'to', the nodes the cut side can no longer reach");
                }
                return new Fault.OneWayCut(nodes(path + ".cut", f.cut, nodes), nodes(path + ".to", f.to, nodes), lasts);
            } else if (f.heal != null) {
                if (!f.heal.equals("all")) {
                    throw error(path + ".heal", "expected 'all' (every partition and cut ends), got '" + f.heal + "'");
                }
                return new Fault.Heal();
            } else if (f.spike != null) {
                if (f.by == null) {
                    throw error(path, "expected 'by', the latency a spike adds (such as 200ms)");
                }
                long by = positive(path + ".by", f.by);
                List<String> on = f.spike.equals(List.of("all")) ? List.of() : nodes(path + ".spike", f.spike, nodes);
                return new Fault.LatencySpike(on, by, lasts);
            } else if (f.slowDisk != null) {
                if (!(f.slowDisk >= 1 && f.slowDisk <= 10_000)) {
                    throw error(path + ".slow_disk", "expected a slow-down factor from 1 to 10000, got " + f.slowDisk);
                }
                return new Fault.SlowDisk(f.slowDisk, lasts);
            } else {
                return new Fault.MassDisconnect(node(path + ".disconnect", f.disconnect, nodes));
            }
        }

        private Swarm swarm(RawScenario.Swarm s, long quiesceAt) throws ScenarioException {
            List<String> kinds = s.kinds == null ? Swarm.DRAWABLE : s.kinds;
            for (int i = 0; i < kinds.size(); i++) {
                if (!Swarm.DRAWABLE.contains(kinds.get(i))) {
                    throw error("faults.swarm.kinds[" + i + "]", "expected one of " + String.join(", ", Swarm.DRAWABLE)
                            + ", got '" + kinds.get(i) + "'");
                }
            }
            if (kinds.isEmpty()) {
                throw error("faults.swarm.kinds", "expected at least one kind");
            }
            range("faults.swarm.faults_min", s.faultsMin, 0, 10_000);
            range("faults.swarm.faults_max", s.faultsMax, s.faultsMin, 10_000);
            long from = s.from == null ? Math.min(500_000, quiesceAt / 10) : duration("faults.swarm.from", s.from);
            long until = s.until == null ? quiesceAt : duration("faults.swarm.until", s.until);
            if (from < 0 || until <= from || until > quiesceAt) {
                throw error("faults.swarm", "expected 0 <= from < until <= quiesce_at (" + Durations.format(quiesceAt)
                        + "), got from " + Durations.format(from) + ", until " + Durations.format(until));
            }
            long downMax = positive("faults.swarm.down_max", s.downMax);
            long spikeMax = positive("faults.swarm.spike_max", s.spikeMax);
            long skewMax = positive("faults.swarm.skew_max", s.skewMax);
            if (!(s.slowFactorMax >= 1 && s.slowFactorMax <= 10_000)) {
                throw error("faults.swarm.slow_factor_max", "expected a factor from 1 to 10000, got " + s.slowFactorMax);
            }
            return new Swarm(kinds, s.faultsMin, s.faultsMax, from, until, downMax, spikeMax, skewMax, s.slowFactorMax);
        }

        private String node(String path, String node, List<String> nodes) throws ScenarioException {
            if (!nodes.contains(node)) {
                throw error(path, "expected a node of the topology (n1..n" + nodes.size() + "), got '" + node + "'");
            }
            return node;
        }

        private List<String> nodes(String path, List<String> names, List<String> nodes) throws ScenarioException {
            if (names.isEmpty()) {
                throw error(path, "expected at least one node");
            }
            for (String name : names) {
                node(path, name, nodes);
            }
            return names;
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

        /** The coarse model places every device on a server, so the servers must have room for all of them. */
        private void provisioned(Scenario.Topology topology, Scenario.Population population,
                                 dev.chatlab.scenarios.coarse.CoarseSettings coarse) throws ScenarioException {
            long devices = (long) population.users() * population.devicesPerUser();
            long room = (long) topology.nodes() * coarse.connectionsPerServer();
            if (room < devices) {
                long needed = (devices + coarse.connectionsPerServer() - 1) / coarse.connectionsPerServer();
                throw error("coarse.connections_per_server", String.format(Locale.ROOT, "expected room for every device: %,d nodes x %,d"
                        + " connections per server hold %,d, but the population has %,d devices (%,d users x %d);"
                        + " set topology.nodes to at least %,d or raise coarse.connections_per_server",
                        topology.nodes(), coarse.connectionsPerServer(), room, devices, population.users(),
                        population.devicesPerUser(), needed));
            }
        }

        private List<Slo> slos(List<String> written) throws ScenarioException {
            List<Slo> out = new ArrayList<>();
            for (int i = 0; written != null && i < written.size(); i++) {
                try {
                    out.add(Slo.parse(written.get(i)));
                } catch (IllegalArgumentException e) {
                    throw error("slo[" + i + "]", e.getMessage());
                }
            }
            return out;
        }

        private ScenarioException error(String path, String reason) {
            ScenarioException flagged = overrides.blame(path, path + ": " + reason);
            if (flagged != null) {
                return flagged;
            }
            JsonLocation at = where.locate(path);
            return new ScenarioException(source, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    path + ": " + reason + overrides.note());
        }
    }
}
