package dev.chatlab.scenarios;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line's {@code --set KEY=VALUE} flags, applied to a scenario file's YAML tree before
 * it is bound and validated, so that an overridden value is checked exactly like one written in
 * the file. {@code KEY} is a dotted path ({@code topology.nodes}, {@code faults[0].at},
 * {@code slo[1]}); {@code VALUE} is YAML ({@code 12}, {@code 30s}, {@code [n1, n2]},
 * {@code {at: 2s, kill: n1}}). A value replaces what is at its key, a whole list or mapping
 * included; mappings on the way are created when the file leaves them out; a list index names an
 * entry of the file's list or, one past its end, appends one. A single value given for a mapping
 * that has a one-value form ({@code store=cassandra} over {@code store: {kind: postgres, durability: fsync}})
 * sets that one key ({@code store.kind}) and keeps the mapping's other settings.
 *
 * <pre>{@code
 * ScenarioOverrides set = ScenarioOverrides.parse(List.of("topology.nodes=12", "client.jitter_window=30s"), yaml);
 * JsonNode tree = set.applyTo(yaml.readTree(text));
 * ScenarioException e = set.blame("topology.nodes", "topology.nodes: expected an integer, got 'abc'");  // names the flag
 * }</pre>
 */
final class ScenarioOverrides {

    private static final Pattern STEP = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    /** One flag: as written, its key as a path, and its value as YAML. */
    record Override(String written, String key, List<Object> steps, JsonNode value) {
        /** {@code --set topology.nodes=abc}, what error messages name. */
        String flag() {
            return "--set " + written;
        }
    }

    /** Mappings a file may also write as one value, and the key that value is: {@code store: postgres}. */
    private static final java.util.Map<String, String> SHORTHANDS = java.util.Map.of("store", "kind");

    private final List<Override> overrides;

    private ScenarioOverrides(List<Override> overrides) {
        this.overrides = overrides;
    }

    static ScenarioOverrides parse(List<String> flags, ObjectMapper yaml) throws ScenarioException {
        List<Override> out = new ArrayList<>();
        for (String flag : flags) {
            int eq = flag.indexOf('=');
            if (eq <= 0) {
                throw new ScenarioException("--set " + flag, 0, 0,
                        "expected KEY=VALUE with KEY a scenario key by its path, such as topology.nodes=12");
            }
            String key = flag.substring(0, eq).trim();
            String text = flag.substring(eq + 1);
            List<Object> steps = steps(flag, key);
            if (text.isBlank()) {
                throw new ScenarioException("--set " + flag, 0, 0, "expected a value after '=' (YAML, such as 12, 30s or [n1, n2])");
            }
            JsonNode value;
            try {
                value = yaml.readTree(text);
            } catch (JsonProcessingException e) {
                throw new ScenarioException("--set " + flag, 0, 0, "the value is not valid YAML: "
                        + e.getOriginalMessage().replaceAll("\\s+", " ").trim());
            }
            if (value == null || value.isMissingNode()) {
                throw new ScenarioException("--set " + flag, 0, 0, "expected a value after '='");
            }
            out.add(new Override(flag, key, steps, value));
        }
        return new ScenarioOverrides(List.copyOf(out));
    }

    /** The path's steps: a String for a key, an Integer for a list index. */
    private static List<Object> steps(String flag, String key) throws ScenarioException {
        List<Object> out = new ArrayList<>();
        for (String part : key.split("\\.", -1)) {
            Matcher m = STEP.matcher(part);
            if (!m.matches()) {
                throw new ScenarioException("--set " + flag, 0, 0, "expected KEY as names joined by '.', each"
                        + " optionally with a list index, such as topology.nodes or faults[0].at; got '" + key + "'");
            }
            out.add(m.group(1));
            Matcher index = INDEX.matcher(m.group(2));
            while (index.find()) {
                out.add(Integer.parseInt(index.group(1)));
            }
        }
        return out;
    }

    boolean isEmpty() {
        return overrides.isEmpty();
    }

    /** The flags as written, in order, for the run's summary. */
    List<String> written() {
        return overrides.stream().map(Override::written).toList();
    }

    /** Applies every override in order to {@code root} (changed in place, and returned). */
    JsonNode applyTo(JsonNode root) throws ScenarioException {
        JsonNode tree = root == null || root.isMissingNode() || root.isNull()
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : root;
        for (Override o : overrides) {
            apply(tree, o);
        }
        return tree;
    }

    private static void apply(JsonNode root, Override o) throws ScenarioException {
        JsonNode node = root;
        StringBuilder at = new StringBuilder();
        for (int i = 0; i < o.steps().size(); i++) {
            Object step = o.steps().get(i);
            boolean last = i == o.steps().size() - 1;
            String here = at.length() == 0 ? "the file" : at.toString();
            if (step instanceof String name) {
                if (!(node instanceof ObjectNode map)) {
                    throw new ScenarioException(o.flag(), 0, 0, here + " is " + kind(node) + ", not a mapping with keys");
                }
                at.append(at.length() == 0 ? "" : ".").append(name);
                if (last) {
                    String shorthand = SHORTHANDS.get(at.toString());
                    if (shorthand != null && map.get(name) instanceof ObjectNode whole && o.value().isValueNode()) {
                        // --set store=cassandra over a store mapping names its kind and keeps the rest (its
                        // durability): so that --vary store=... compares stores under the file's settings.
                        whole.set(shorthand, o.value());
                    } else {
                        map.set(name, o.value());
                    }
                    return;
                }
                JsonNode child = map.get(name);
                if (child == null || child.isNull()) {
                    if (o.steps().get(i + 1) instanceof Integer) {
                        throw new ScenarioException(o.flag(), 0, 0, at + " is not in the file, so it has no entries to"
                                + " name; give the whole list instead, such as --set '" + at + "=[...]'");
                    }
                    child = map.putObject(name);
                }
                node = child;
            } else {
                int index = (Integer) step;
                if (!(node instanceof ArrayNode list)) {
                    throw new ScenarioException(o.flag(), 0, 0, here + " is " + kind(node) + ", not a list");
                }
                at.append('[').append(index).append(']');
                if (index > list.size()) {
                    throw new ScenarioException(o.flag(), 0, 0, here + " has " + list.size() + " entr"
                            + (list.size() == 1 ? "y" : "ies") + "; an index names one of them (0.." + (list.size() - 1)
                            + ") or appends one (" + list.size() + ")");
                }
                if (last) {
                    if (index == list.size()) {
                        list.add(o.value());
                    } else {
                        list.set(index, o.value());
                    }
                    return;
                }
                node = index == list.size() ? list.addObject() : list.get(index);
            }
        }
    }

    private static String kind(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        return "a single value ('" + node.asText() + "')";
    }

    /**
     * The error to report for a problem found at {@code path} with message {@code message} (which
     * starts with the path, as the loader writes them): one naming the last flag that set that key,
     * a key under it or a key above it; null when no flag touched it, and the file is to blame.
     */
    ScenarioException blame(String path, String message) {
        for (int i = overrides.size() - 1; i >= 0; i--) {
            Override o = overrides.get(i);
            if (related(path, o.key())) {
                String text = path.equals(o.key()) && message.startsWith(path + ": ")
                        ? message.substring(path.length() + 2) : message;
                return new ScenarioException(o.flag(), 0, 0, text);
            }
        }
        return null;
    }

    /** {@code " (with --set a=1, --set b=2)"}, appended to a file's error while flags are in effect. */
    String note() {
        return overrides.isEmpty() ? "" : " (with " + String.join(", ", overrides.stream().map(Override::flag).toList()) + ")";
    }

    private static boolean related(String path, String key) {
        return path.equals(key) || under(path, key) || under(key, path);
    }

    private static boolean under(String path, String parent) {
        return !parent.isEmpty() && (path.startsWith(parent + ".") || path.startsWith(parent + "["));
    }
}
