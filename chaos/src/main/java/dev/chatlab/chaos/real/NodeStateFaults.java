package dev.chatlab.chaos.real;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Chaos that a real node applies to itself when told: clock skew, a slow store, and cut peer
 * links (partitions, one-way cuts, heals). This class keeps what every node should be doing, sends
 * each node its whole {@link NodeFaultState} through a {@link NodeControl} whenever that changes,
 * and counts a fault as injected only when at least one node took it. A node that was down when a
 * change was sent (killed by another fault) gets its state again with {@link #reapply} once it is
 * back, so a restart does not quietly end a skew or a cut.
 *
 * <pre>{@code
 * NodeStateFaults faults = new NodeStateFaults(control, List.of("n1", "n2", "n3"), clock);
 * faults.skew("n2", -5_000_000);
 * long cut = faults.partition(List.of(List.of("n1"), List.of("n2", "n3")));
 * faults.heal(cut);                 // a recovery, not counted as a fault
 * faults.counts();                  // {clock-skew=1, partition=1}
 * }</pre>
 *
 * <p>As on the simulator, a skew outlives restarts and the quiesce (only Snowflake sequencing cares
 * about it), while the quiesce ends every cut and restores the store's speed.
 */
public final class NodeStateFaults {

    /** A directed link whose messages are dropped. */
    private record Link(String from, String to) {
    }

    /** How many packet-filter failures are kept for the summary (the count goes on). */
    static final int FILTER_FAILURES_KEPT = 8;

    private final NodeControl control;
    private final List<String> names;
    private final ProcessFaults.Clock clock;
    private final Map<String, Long> clockOffsets = new HashMap<>();
    private double diskFactor = 1;
    private final Map<Long, List<Link>> cuts = new LinkedHashMap<>();
    private long nextHandle = 1;
    private final List<ProcessFaults.Injected> injected = new ArrayList<>();
    private final List<String> unreachable = new ArrayList<>();
    /** Serialises filter changes, so that the last one applied is the state now. */
    private final Object filterLock = new Object();
    private LinkFilter filter;
    private long filterApplied;
    private long filterFailed;
    private final List<String> filterFailures = new ArrayList<>();

    public NodeStateFaults(NodeControl control, List<String> names, ProcessFaults.Clock clock) {
        this.control = control;
        this.names = List.copyOf(names);
        this.clock = clock;
    }

    /**
     * Cuts are enforced by {@code filter} too (packet filtering, which splits membership), from
     * now on; the nodes go on dropping peer messages themselves either way.
     */
    public void filterLinks(LinkFilter filter) {
        synchronized (filterLock) {
            this.filter = filter;
        }
    }

    /** Times the filter was changed successfully. */
    public long filterApplied() {
        synchronized (filterLock) {
            return filterApplied;
        }
    }

    /** Times changing the filter failed (the cut then held only inside the nodes), and the first reasons. */
    public long filterFailed() {
        synchronized (filterLock) {
            return filterFailed;
        }
    }

    public List<String> filterFailures() {
        synchronized (filterLock) {
            return List.copyOf(filterFailures);
        }
    }

    /** The node's clock reads {@code offsetMicros} away from true time from now on. */
    public boolean skew(String node, long offsetMicros) {
        requireNode(node);
        long at = clock.nowMicros();
        synchronized (this) {
            clockOffsets.put(node, offsetMicros);
        }
        return count("clock-skew", node, at, send(node) ? 1 : 0);
    }

    /** Every node's store calls take {@code factor} times as long (the shared store, slow). */
    public boolean slowDisk(double factor) {
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("a slow disk is at least 1x slower: " + factor);
        }
        long at = clock.nowMicros();
        synchronized (this) {
            diskFactor = factor;
        }
        return count("slow-disk", "all", at, sendAll());
    }

    /** The store back to its speed; a recovery, not counted. Returns whether it was slow. */
    public boolean restoreDisk() {
        synchronized (this) {
            if (diskFactor == 1) {
                return false;
            }
            diskFactor = 1;
        }
        sendAll();
        return true;
    }

    /** The sides cannot reach each other, both ways; returns a handle for {@link #heal}, or -1 if nothing was cut. */
    public long partition(List<List<String>> sides) {
        List<Link> links = new ArrayList<>();
        for (int a = 0; a < sides.size(); a++) {
            for (int b = 0; b < sides.size(); b++) {
                if (a != b) {
                    for (String from : sides.get(a)) {
                        for (String to : sides.get(b)) {
                            links.add(new Link(requireNode(from), requireNode(to)));
                        }
                    }
                }
            }
        }
        return cut("partition", links);
    }

    /** Messages from every node of {@code from} to every node of {@code to} are lost; the other way works. */
    public long cutOneWay(List<String> from, List<String> to) {
        List<Link> links = new ArrayList<>();
        for (String f : from) {
            for (String t : to) {
                if (!f.equals(t)) {
                    links.add(new Link(requireNode(f), requireNode(t)));
                }
            }
        }
        return cut("partition-one-way", links);
    }

    /** Ends one partition or cut (its timed end); a recovery, not counted. */
    public boolean heal(long handle) {
        synchronized (this) {
            if (cuts.remove(handle) == null) {
                return false;
            }
        }
        refilter();
        sendAll();
        return true;
    }

    /** Ends every partition and cut: the {@code heal} fault, counted when there was something to heal. */
    public boolean healAll() {
        long at = clock.nowMicros();
        synchronized (this) {
            if (cuts.isEmpty()) {
                return false;
            }
            cuts.clear();
        }
        refilter();
        return count("heal", "all", at, sendAll());
    }

    /** At the quiesce: every cut ends and the store is back to its speed (skews stay); not counted. */
    public void quiesce() {
        synchronized (this) {
            cuts.clear();
            diskFactor = 1;
        }
        refilter();
        sendAll();
    }

    /** Sends a node that came back (a new process, with no faults of its own) its state again. */
    public boolean reapply(String node) {
        return send(requireNode(node));
    }

    /** The state {@code node} should be in now. */
    public synchronized NodeFaultState stateOf(String node) {
        Set<String> dropTo = new HashSet<>();
        Set<String> dropFrom = new HashSet<>();
        for (List<Link> links : cuts.values()) {
            for (Link l : links) {
                if (l.from().equals(node)) {
                    dropTo.add(l.to());
                }
                if (l.to().equals(node)) {
                    dropFrom.add(l.from());
                }
            }
        }
        return new NodeFaultState(clockOffsets.getOrDefault(node, 0L), diskFactor, dropTo, dropFrom);
    }

    public synchronized List<ProcessFaults.Injected> injected() {
        return List.copyOf(injected);
    }

    /** Nodes that could not be told their state, each time it happened (a node down is expected under kills). */
    public synchronized List<String> unreachable() {
        return List.copyOf(unreachable);
    }

    /** Faults by kind, as summaries count them. */
    public synchronized Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        for (ProcessFaults.Injected i : injected) {
            out.merge(i.kind(), 1L, Long::sum);
        }
        return out;
    }

    private long cut(String kind, List<Link> links) {
        if (links.isEmpty()) {
            return -1;
        }
        long at = clock.nowMicros();
        long handle;
        synchronized (this) {
            handle = nextHandle++;
            cuts.put(handle, List.copyOf(links));
        }
        refilter();
        // Both ends of every link filter it, so the cut holds even if one end restarts and forgets it.
        if (count(kind, "all", at, sendAll())) {
            return handle;
        }
        synchronized (this) {
            cuts.remove(handle);
        }
        refilter();
        return -1;
    }

    /** Gives the packet filter (if any) every link cut now; a failure is counted and kept, never thrown. */
    private void refilter() {
        synchronized (filterLock) {
            if (filter == null) {
                return;
            }
            Set<LinkFilter.Link> links = new TreeSet<>(java.util.Comparator.comparing(LinkFilter.Link::from)
                    .thenComparing(LinkFilter.Link::to));
            synchronized (this) {
                for (List<Link> cut : cuts.values()) {
                    for (Link l : cut) {
                        links.add(new LinkFilter.Link(l.from(), l.to()));
                    }
                }
            }
            try {
                filter.apply(links);
                filterApplied++;
            } catch (Exception e) {
                filterFailed++;
                if (filterFailures.size() < FILTER_FAILURES_KEPT) {
                    filterFailures.add(String.valueOf(e.getMessage()));
                }
            }
        }
    }

    // The sends run outside the lock: a node that does not answer must not stall the counts.

    private int sendAll() {
        int reached = 0;
        for (String node : names) {
            if (send(node)) {
                reached++;
            }
        }
        return reached;
    }

    private boolean send(String node) {
        NodeFaultState state = stateOf(node);
        boolean ok;
        try {
            ok = control.apply(node, state);
        } catch (Exception e) {
            ok = false;
        }
        if (!ok) {
            synchronized (this) {
                unreachable.add(node);
            }
        }
        return ok;
    }

    private boolean count(String kind, String node, long at, int reached) {
        if (reached == 0) {
            return false;
        }
        synchronized (this) {
            injected.add(new ProcessFaults.Injected(kind, node, at, clock.nowMicros() - at));
        }
        return true;
    }

    private String requireNode(String node) {
        if (!names.contains(node)) {
            throw new IllegalArgumentException("no node '" + node + "' in " + names);
        }
        return node;
    }
}
