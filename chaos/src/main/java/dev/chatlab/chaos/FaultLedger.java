package dev.chatlab.chaos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a fault plan asked for and what really happened, by kind: planned, injected, skipped (with
 * why), and the automatic recoveries (a restart after a timed kill, a heal after a timed
 * partition). A planned fault that never fired shows up as planned but not injected.
 *
 * <pre>{@code
 * FaultLedger ledger = injector.ledger();
 * ledger.injected("kill");                 // 2
 * Map<String, Object> json = ledger.toMap();
 * }</pre>
 */
public final class FaultLedger {

    private final TreeMap<String, Long> planned = new TreeMap<>();
    private final TreeMap<String, Long> injected = new TreeMap<>();
    private final TreeMap<String, Long> skipped = new TreeMap<>();
    private final TreeMap<String, Long> recoveries = new TreeMap<>();
    private final TreeMap<String, Long> skipReasons = new TreeMap<>();

    void recordPlanned(String kind) {
        planned.merge(kind, 1L, Long::sum);
    }

    void recordInjected(String kind) {
        injected.merge(kind, 1L, Long::sum);
    }

    void recordSkipped(String kind, String reason) {
        skipped.merge(kind, 1L, Long::sum);
        skipReasons.merge(kind + ": " + reason, 1L, Long::sum);
    }

    void recordRecovery(String what) {
        recoveries.merge(what, 1L, Long::sum);
    }

    public long planned(String kind) {
        return planned.getOrDefault(kind, 0L);
    }

    public long injected(String kind) {
        return injected.getOrDefault(kind, 0L);
    }

    public long skipped(String kind) {
        return skipped.getOrDefault(kind, 0L);
    }

    public long plannedTotal() {
        return sum(planned);
    }

    public long injectedTotal() {
        return sum(injected);
    }

    public long skippedTotal() {
        return sum(skipped);
    }

    /**
     * For summaries: totals, then per kind of {@link Fault#KINDS} (every kind listed, zeros
     * included, so a fault that never fired is visible), then skip reasons and recoveries.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("planned", plannedTotal());
        out.put("injected", injectedTotal());
        out.put("skipped", skippedTotal());
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (String kind : Fault.KINDS) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("planned", planned(kind));
            row.put("injected", injected(kind));
            row.put("skipped", skipped(kind));
            byKind.put(kind, row);
        }
        out.put("by_kind", byKind);
        out.put("skip_reasons", new TreeMap<>(skipReasons));
        out.put("recoveries", new TreeMap<>(recoveries));
        return out;
    }

    /** Kinds that were planned at least once and never injected. */
    public List<String> neverFired() {
        return planned.keySet().stream().filter(k -> injected(k) == 0).toList();
    }

    private static long sum(Map<String, Long> counts) {
        long n = 0;
        for (long v : counts.values()) {
            n += v;
        }
        return n;
    }
}
