package dev.chatlab.scenarios.world;

import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * A node's cores as a first-come-first-served queue of {@code cores} servers, and its accept
 * backlog. Service times are known when work arrives, so the queue computes at once when each
 * piece of work starts and completes: it starts on the core that frees up first, never before
 * work that arrived earlier. Connection set-ups that have not started yet wait in the accept
 * backlog; one more than {@code acceptBacklog} is refused. Pure: time comes in as an argument.
 *
 * <pre>{@code
 * WorkQueue cores = new WorkQueue(2, 1024);
 * long done = cores.admit(now, 150);               // when the work's effects happen
 * long connected = cores.admitConnect(now, 300);   // -1: refused, the backlog is full
 * }</pre>
 */
final class WorkQueue {

    private final int acceptBacklog;
    /** When each core is next free, earliest first. */
    private final PriorityQueue<Long> freeAt = new PriorityQueue<>();
    /** Start times of the connection set-ups admitted so far that may not have started yet, in order. */
    private final ArrayDeque<Long> connectStarts = new ArrayDeque<>();
    private final WorkStats stats;

    WorkQueue(int cores, int acceptBacklog) {
        this(cores, acceptBacklog, new WorkStats());
    }

    /** With {@code stats} kept by the caller, so that they outlive this queue (a node's crash). */
    WorkQueue(int cores, int acceptBacklog, WorkStats stats) {
        this.stats = stats;
        if (cores < 1 || acceptBacklog < 0) {
            throw new IllegalArgumentException("expected 1 core or more and a backlog of 0 or more");
        }
        this.acceptBacklog = acceptBacklog;
        for (int i = 0; i < cores; i++) {
            freeAt.add(0L);
        }
    }

    /** Queues work that arrived at {@code nowMicros}; returns when it completes. */
    long admit(long nowMicros, long serviceMicros) {
        // The earliest free core: as arrivals come in time order, no work starts before work that arrived earlier.
        long start = Math.max(nowMicros, freeAt.poll());
        long done = start + serviceMicros;
        freeAt.add(done);
        stats.record(start - nowMicros, serviceMicros, done);
        return done;
    }

    /** Queues a connection set-up; returns when it completes, or -1 when the accept backlog is full. */
    long admitConnect(long nowMicros, long serviceMicros) {
        while (!connectStarts.isEmpty() && connectStarts.peekFirst() <= nowMicros) {
            connectStarts.pollFirst();
        }
        if (connectStarts.size() >= acceptBacklog && nextStart(nowMicros) > nowMicros) {
            stats.refused();
            return -1;
        }
        long done = admit(nowMicros, serviceMicros);
        connectStarts.addLast(done - serviceMicros);
        return done;
    }

    /** When work arriving now would start. */
    private long nextStart(long nowMicros) {
        return Math.max(nowMicros, freeAt.peek());
    }

    /** Connection set-ups waiting to start at {@code nowMicros}. */
    int connectsWaiting(long nowMicros) {
        int n = 0;
        for (long start : connectStarts) {
            if (start > nowMicros) {
                n++;
            }
        }
        return n;
    }

    WorkStats stats() {
        return stats;
    }
}
