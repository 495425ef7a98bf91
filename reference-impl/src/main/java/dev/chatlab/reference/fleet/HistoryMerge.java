package dev.chatlab.reference.fleet;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.history.io.HistoryFormatException;
import dev.chatlab.history.io.HistoryReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges the histories of several fleet processes into one, ordered by {@code t}: a streaming
 * k-way merge that holds one event per part. It is stable: events of equal {@code t} keep their
 * order within a part, and across parts come in the order the parts were given. The parts' clocks
 * must be comparable (one zero, one host clock: see {@link Fleet#start(Fleet.Settings, HistorySink, long)}).
 *
 * <p>The quiesce. Each process records a {@code quiesce} when it is told to stop faults and
 * reconnect its devices; the contract's quiesce promises that from there on no fault happens
 * anywhere and every device reconnects and syncs, so the merged history holds exactly one: where
 * the last part to quiesce did, that is once every part has either passed its first
 * {@code quiesce} or ended (a part that records no quiesce, such as the coordinator's membership
 * part, does not hold it back), and only if some part quiesced at all. Every other {@code quiesce}
 * line is dropped. A device that reconnects between its own process's quiesce and the merged one
 * is then simply not held to eventual delivery by that connect (the check is weaker, never wrong).
 *
 * <pre>{@code
 * HistoryMerge.Merged m = HistoryMerge.merge(List.of(members, worker1, worker2), HistorySink.all(writer, checker));
 * }</pre>
 */
public final class HistoryMerge {

    /**
     * What the merge wrote.
     *
     * @param events        events written (the one quiesce included)
     * @param eventsPerPart events read from each part, in the parts' order (their quiesce lines included)
     * @param quiesceT      the merged quiesce's t, or -1 if none was written
     */
    public record Merged(long events, List<Long> eventsPerPart, long quiesceT) {
    }

    private HistoryMerge() {
    }

    /** Merges the history files {@code parts} (JSON lines, gzipped or not) into {@code out}. */
    public static Merged merge(List<Path> parts, HistorySink out) throws IOException {
        return merge(parts, List.of(), out);
    }

    /**
     * As above, with {@code besides}: parts that never quiesce (the events the nodes' servers
     * recorded, all through the run) and so never hold the quiesce back, merged after
     * {@code parts} on equal {@code t}.
     */
    public static Merged merge(List<Path> parts, List<Path> besides, HistorySink out) throws IOException {
        List<Part> open = new ArrayList<>();
        try {
            List<Path> all = new ArrayList<>(parts);
            all.addAll(besides);
            for (int i = 0; i < all.size(); i++) {
                open.add(new Part(i, all.get(i), HistoryReader.open(all.get(i)), i >= parts.size()));
            }
            return mergeOpen(open, out);
        } finally {
            for (Part p : open) {
                p.reader.close();
            }
        }
    }

    private static Merged mergeOpen(List<Part> parts, HistorySink out) throws IOException {
        PriorityQueue<Part> heads = new PriorityQueue<>((a, b) -> a.head.t() != b.head.t()
                ? Long.compare(a.head.t(), b.head.t()) : Integer.compare(a.index, b.index));
        int settled = 0;
        for (Part p : parts) {
            if (p.advance()) {
                heads.add(p);
            }
            if (p.besides || p.head == null) {
                settled++;
            }
        }
        boolean anyQuiesced = false;
        long quiesceT = -1;
        long written = 0;
        long lastT = 0;
        while (!heads.isEmpty()) {
            Part p = heads.poll();
            HistoryEvent event = p.head;
            lastT = event.t();
            if (event instanceof HistoryEvent.Quiesce) {
                if (!p.quiesced && !p.besides) {
                    p.quiesced = true;
                    anyQuiesced = true;
                    settled++;
                }
            } else {
                out.accept(event);
                written++;
            }
            if (p.advance()) {
                heads.add(p);
            } else if (!p.quiesced && !p.besides) {
                settled++;
            }
            if (quiesceT < 0 && anyQuiesced && settled == parts.size()) {
                quiesceT = lastT;
                out.accept(new HistoryEvent.Quiesce(quiesceT));
                written++;
            }
        }
        List<Long> perPart = new ArrayList<>();
        for (Part p : parts) {
            perPart.add(p.events);
        }
        return new Merged(written, perPart, quiesceT);
    }

    /** One part being read: its next event and whether it has quiesced. */
    private static final class Part {
        final int index;
        final Path file;
        final HistoryReader reader;
        /** Never quiesces, so never holds the quiesce back. */
        final boolean besides;
        HistoryEvent head;
        long events;
        boolean quiesced;

        Part(int index, Path file, HistoryReader reader, boolean besides) {
            this.index = index;
            this.file = file;
            this.reader = reader;
            this.besides = besides;
        }

        /** Reads the next event into {@link #head}; false at the end of the part. */
        boolean advance() throws IOException {
            try {
                head = reader.next();
            } catch (HistoryFormatException e) {
                throw new IOException(file + " line " + e.line() + ": " + e.reason(), e);
            }
            if (head != null) {
                events++;
            }
            return head != null;
        }
    }
}
