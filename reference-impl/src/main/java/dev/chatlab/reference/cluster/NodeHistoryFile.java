package dev.chatlab.reference.cluster;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.HistoryWriter;
import dev.chatlab.history.io.HistoryFormatException;
import dev.chatlab.history.io.HistoryReader;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The history events a node's server records itself (membership changes, as the simulator's
 * servers do), in a file of the node's: one JSON line each, flushed at once, appended to by every
 * incarnation of the node (a kill -9 loses nothing already recorded; a restart goes on in the same
 * file). Each event's {@code t} is the host's monotonic clock in microseconds
 * ({@code System.nanoTime() / 1000}), the clock the fleet's processes share, so a run can put the
 * node's events into its fleet's history by subtracting the fleet's zero on that clock
 * ({@link #readFrom}).
 *
 * <pre>{@code
 * ChatNode node = new ChatNode(settings, store, peers, membership, NodeHistoryFile.append(path), registry);
 * ...
 * List<HistoryEvent> events = NodeHistoryFile.readFrom(path, fleetZeroHostMicros); // t on the fleet's clock
 * }</pre>
 */
public final class NodeHistoryFile implements HistorySink, Closeable {

    private final HistoryWriter writer;

    private NodeHistoryFile(HistoryWriter writer) {
        this.writer = writer;
    }

    /** Opens {@code file} for appending, creating it if needed. */
    public static NodeHistoryFile append(Path file) throws IOException {
        return new NodeHistoryFile(new HistoryWriter(new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8))));
    }

    /** Records {@code event} at the host clock's current reading, in place of the node's own {@code t}. */
    @Override
    public synchronized void accept(HistoryEvent event) {
        try {
            writer.write(retimed(event, System.nanoTime() / 1000));
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
    }

    /**
     * The events of a node's file with {@code t} on a fleet's clock, whose zero is
     * {@code zeroHostMicros} on the host clock (an event from before it is put at 0). A file that
     * does not exist (the node never recorded anything) reads as no events.
     */
    public static List<HistoryEvent> readFrom(Path file, long zeroHostMicros) throws IOException {
        List<HistoryEvent> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        try (HistoryReader reader = HistoryReader.open(file)) {
            for (HistoryEvent e = reader.next(); e != null; e = reader.next()) {
                events.add(retimed(e, Math.max(0, e.t() - zeroHostMicros)));
            }
        } catch (HistoryFormatException e) {
            throw new IOException(file + " line " + e.line() + ": " + e.reason(), e);
        }
        return events;
    }

    /** The same event at {@code t}. */
    static HistoryEvent retimed(HistoryEvent e, long t) {
        if (e instanceof HistoryEvent.Member x) {
            return new HistoryEvent.Member(t, x.chat(), x.user(), x.op());
        } else if (e instanceof HistoryEvent.Connect x) {
            return new HistoryEvent.Connect(t, x.user(), x.device(), x.node());
        } else if (e instanceof HistoryEvent.Disconnect x) {
            return new HistoryEvent.Disconnect(t, x.user(), x.device(), x.reason());
        } else if (e instanceof HistoryEvent.Send x) {
            return new HistoryEvent.Send(t, x.user(), x.device(), x.chat(), x.cmid());
        } else if (e instanceof HistoryEvent.Ack x) {
            return new HistoryEvent.Ack(t, x.user(), x.device(), x.chat(), x.cmid(), x.seq());
        } else if (e instanceof HistoryEvent.Fail x) {
            return new HistoryEvent.Fail(t, x.user(), x.device(), x.chat(), x.cmid());
        } else if (e instanceof HistoryEvent.Deliver x) {
            return new HistoryEvent.Deliver(t, x.user(), x.device(), x.chat(), x.seq(), x.cmid(), x.from(), x.via());
        } else if (e instanceof HistoryEvent.Read x) {
            return new HistoryEvent.Read(t, x.user(), x.device(), x.chat(), x.seq());
        } else if (e instanceof HistoryEvent.Receipt x) {
            return new HistoryEvent.Receipt(t, x.user(), x.device(), x.chat(), x.by(), x.state(), x.seq());
        } else if (e instanceof HistoryEvent.Presence x) {
            return new HistoryEvent.Presence(t, x.user(), x.device(), x.about(), x.state(), x.lastSeen());
        } else if (e instanceof HistoryEvent.Typing x) {
            return new HistoryEvent.Typing(t, x.user(), x.device(), x.chat(), x.from());
        } else if (e instanceof HistoryEvent.Quiesce) {
            return new HistoryEvent.Quiesce(t);
        }
        throw new IllegalArgumentException("a node records no event of unknown type: " + e);
    }
}
