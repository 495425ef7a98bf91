package dev.chatlab.scenarios;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key of a YAML document is written, so that a check made after binding (a fault
 * naming a node that does not exist) can still point at a line and column; scenario files and
 * experiment files both report their errors this way. Paths read
 * {@code topology.nodes}, {@code faults[1].kill}; the location is that of the value.
 *
 * <pre>{@code
 * YamlLocator where = YamlLocator.of(text);
 * JsonLocation at = where.locate("faults[1].kill");   // or of its nearest written parent
 * }</pre>
 */
public final class YamlLocator {

    private static final YAMLFactory YAML = new YAMLFactory();

    private final Map<String, JsonLocation> locations;
    private final Map<String, JsonLocation> keys;

    private YamlLocator(Map<String, JsonLocation> locations, Map<String, JsonLocation> keys) {
        this.locations = locations;
        this.keys = keys;
    }

    /** Indexes a document that Jackson has already parsed; an unreadable one indexes as empty. */
    public static YamlLocator of(String text) {
        Map<String, JsonLocation> out = new HashMap<>();
        Map<String, JsonLocation> keys = new HashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first != null) {
                walk(p, first, "", out, keys);
            }
        } catch (IOException e) {
            // Syntax errors are Jackson's to report, with their own location; nothing to index.
        }
        return new YamlLocator(out, keys);
    }

    private static void walk(JsonParser p, JsonToken token, String path, Map<String, JsonLocation> out,
                             Map<String, JsonLocation> keys) throws IOException {
        out.putIfAbsent(path, p.currentTokenLocation());
        if (token == JsonToken.START_OBJECT) {
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String child = path.isEmpty() ? p.currentName() : path + "." + p.currentName();
                keys.putIfAbsent(child, p.currentTokenLocation());
                walk(p, p.nextToken(), child, out, keys);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
                walk(p, t, path + "[" + index++ + "]", out, keys);
            }
        }
    }

    /** Whether {@code path} itself is written in the document. */
    public boolean has(String path) {
        return locations.containsKey(path);
    }

    /** Where the key of {@code path} is written (an unknown key is pointed at by its name), or null. */
    public JsonLocation locateKey(String path) {
        return keys.get(path);
    }

    /** The location of {@code path}, else of its nearest parent that is written, else null. */
    public JsonLocation locate(String path) {
        String p = path;
        while (true) {
            JsonLocation at = locations.get(p);
            if (at != null) {
                return at;
            }
            if (p.isEmpty()) {
                return null;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }
}
