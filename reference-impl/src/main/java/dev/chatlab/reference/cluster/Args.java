package dev.chatlab.reference.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code --key value} pairs of a process that chatlab starts itself (nodes, the store). Not a
 * user-facing parser: the CLI builds these command lines.
 *
 * <pre>{@code
 * Args args = Args.parse(new String[] {"--name", "n1", "--port", "7001"});
 * int port = args.integer("port", 0);
 * }</pre>
 */
public final class Args {

    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = values;
    }

    public static Args parse(String[] argv) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --key value pairs, got '" + argv[i] + "'");
            }
            values.put(argv[i].substring(2), argv[++i]);
        }
        return new Args(values);
    }

    public String text(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public String required(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    public int integer(String key, int fallback) {
        String v = values.get(key);
        return v == null ? fallback : Integer.parseInt(v);
    }

    public long number(String key, long fallback) {
        String v = values.get(key);
        return v == null ? fallback : Long.parseLong(v);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }
}
