package dev.chatlab.sim.bench;

import dev.chatlab.sim.EventHandler;

import java.util.PriorityQueue;

/**
 * The baseline the kernel is measured against: the event loop most Java simulators use, a
 * {@link PriorityQueue} (binary heap) of small event objects, one allocation per event. Same
 * ordering contract as {@link dev.chatlab.sim.Simulation} (time, then scheduling order), so a
 * workload run on both takes exactly the same path.
 */
public final class HeapSimulation {

    private static final class Event implements Comparable<Event> {
        final long time;
        final long seq;
        final int target;
        final int kind;
        final long payload;

        Event(long time, long seq, int target, int kind, long payload) {
            this.time = time;
            this.seq = seq;
            this.target = target;
            this.kind = kind;
            this.payload = payload;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> queue;
    private EventHandler handler;
    private long now;
    private long seq;
    private long processed;

    public HeapSimulation(int expectedPendingEvents) {
        queue = new PriorityQueue<>(Math.max(16, expectedPendingEvents));
    }

    public void setHandler(EventHandler handler) {
        this.handler = handler;
    }

    public long now() {
        return now;
    }

    public long eventsProcessed() {
        return processed;
    }

    public int pendingEvents() {
        return queue.size();
    }

    public void schedule(long atMicros, int target, int kind, long payload) {
        if (atMicros < now) {
            throw new IllegalArgumentException("cannot schedule in the past");
        }
        queue.add(new Event(atMicros, seq++, target, kind, payload));
    }

    public long runEvents(long maxEvents) {
        long end = processed + maxEvents;
        while (processed < end) {
            Event e = queue.poll();
            if (e == null) {
                break;
            }
            now = e.time;
            processed++;
            handler.onEvent(e.target, e.kind, e.payload);
        }
        return processed - (end - maxEvents);
    }
}
