package dev.chatlab.scenarios;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's faults line, from a summary's {@code faults} block (the same shape at both
 * levels): {@code faults: injected=1 of 1 planned {kill=1}; recoveries {restart=1} (...)}. A timed
 * fault's own end (the restart after {@code kill ... for}) is a recovery, said apart, so that one
 * planned kill does not read as "planned 1, injected 2".
 */
public final class FaultsLine {

    private FaultsLine() {
    }

    public static String of(Map<String, Object> faults) {
        StringBuilder line = new StringBuilder("faults: injected=").append(number(faults.get("injected")))
                .append(" of ").append(number(faults.get("planned"))).append(" planned ")
                .append(byKind(faults.get("by_kind"), "injected"));
        long skipped = number(faults.get("skipped"));
        if (skipped > 0) {
            line.append("; skipped=").append(skipped).append(' ').append(byKind(faults.get("by_kind"), "skipped"));
        }
        if (faults.get("recoveries") instanceof Map<?, ?> recoveries && !recoveries.isEmpty()) {
            line.append("; recoveries ").append(recoveries)
                    .append(" (timed faults ending by themselves, not counted as faults)");
        }
        return line.toString();
    }

    /** {@code {kill=1, restart=1}}: the kinds with a non-zero count in the given column. */
    private static Map<String, Long> byKind(Object rows, String column) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (rows instanceof Map<?, ?> byKind) {
            for (Map.Entry<?, ?> e : byKind.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> row && number(row.get(column)) > 0) {
                    out.put(String.valueOf(e.getKey()), number(row.get(column)));
                }
            }
        }
        return out;
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
