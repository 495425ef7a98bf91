package dev.chatlab.chaos.real;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chaos against real processes: kill -9 and restart of chat nodes and of the store's servers, each counted only when it
 * actually happened (a kill of a node already down is not a fault), with when it happened, so a
 * run's summary shows what the chaos really did.
 *
 * <pre>{@code
 * ProcessFaults faults = new ProcessFaults(nodes, clock);
 * faults.kill("n2");           // counted as node-kill if n2 was up
 * faults.killStore("shard-1"); // counted as store-kill if that PostgreSQL server was up
 * faults.restartAllDown();     // at quiesce: nodes and store servers
 * Map<String, Long> byKind = faults.counts();
 * }</pre>
 */
public final class ProcessFaults {

    /** A fault that fired: what, on which node, at which run time, and how long it took. */
    public record Injected(String kind, String node, long atMicros, long tookMicros) {
    }

    /** The run's clock, in the history's microseconds. */
    public interface Clock {
        long nowMicros();
    }

    private final NodeProcesses nodes;
    private final Clock clock;
    private final List<String> names;
    private final StoreProcesses store;
    private final List<Injected> injected = new ArrayList<>();
    /** Store targets killed and not started again yet, in the order they went down. */
    private final Set<String> storeDown = new LinkedHashSet<>();

    public ProcessFaults(NodeProcesses nodes, List<String> names, Clock clock) {
        this(nodes, null, names, clock);
    }

    /** With {@code store} null, store kills find nothing to kill. */
    public ProcessFaults(NodeProcesses nodes, StoreProcesses store, List<String> names, Clock clock) {
        this.nodes = nodes;
        this.store = store;
        this.names = List.copyOf(names);
        this.clock = clock;
    }

    public boolean killStore(String target) {
        long at = clock.nowMicros();
        if (store == null || !store.kill(target)) {
            return false;
        }
        synchronized (this) {
            storeDown.add(target);
        }
        note(new Injected("store-kill", target, at, clock.nowMicros() - at));
        return true;
    }

    public boolean restartStore(String target) throws Exception {
        long at = clock.nowMicros();
        if (store == null || !store.restart(target)) {
            return false;
        }
        synchronized (this) {
            storeDown.remove(target);
        }
        note(new Injected("store-restart", target, at, clock.nowMicros() - at));
        return true;
    }

    // The process calls run outside the lock: a restart can take many seconds, and the counts
    // must stay readable meanwhile (a run's progress line reads them).

    public boolean kill(String node) {
        long at = clock.nowMicros();
        if (!nodes.kill(node)) {
            return false;
        }
        note(new Injected("node-kill", node, at, clock.nowMicros() - at));
        return true;
    }

    public boolean restart(String node) throws Exception {
        long at = clock.nowMicros();
        if (nodes.isAlive(node) || !nodes.restart(node)) {
            return false;
        }
        note(new Injected("node-restart", node, at, clock.nowMicros() - at));
        return true;
    }

    /**
     * Brings every dead store server and node back (quiesce), the store first since the nodes need
     * it; these restarts are recovery, counted apart as store-recover and node-recover.
     */
    public int restartAllDown() throws Exception {
        int n = 0;
        List<String> down;
        synchronized (this) {
            down = List.copyOf(storeDown);
        }
        for (String target : down) {
            long at = clock.nowMicros();
            if (store.restart(target)) {
                note(new Injected("store-recover", target, at, clock.nowMicros() - at));
                n++;
            }
            synchronized (this) {
                storeDown.remove(target);
            }
        }
        for (String node : names) {
            if (!nodes.isAlive(node)) {
                long at = clock.nowMicros();
                if (nodes.restart(node)) {
                    note(new Injected("node-recover", node, at, clock.nowMicros() - at));
                    n++;
                }
            }
        }
        return n;
    }

    private synchronized void note(Injected fault) {
        injected.add(fault);
    }

    public synchronized List<Injected> injected() {
        return List.copyOf(injected);
    }

    /** Faults by kind; recoveries at quiesce are not faults and are left out. */
    public synchronized Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        for (Injected i : injected) {
            if (!i.kind().endsWith("-recover")) {
                out.merge(i.kind(), 1L, Long::sum);
            }
        }
        return out;
    }

    public synchronized long total() {
        long n = 0;
        for (long v : counts().values()) {
            n += v;
        }
        return n;
    }
}
