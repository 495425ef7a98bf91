package dev.chatlab.sim;

import java.util.Arrays;

/**
 * A deterministic discrete-event kernel. Virtual time is a {@code long} count of microseconds
 * from 0; it advances only from one event to the next, and nothing here reads the wall clock.
 * Events at equal times run in the order they were scheduled, so a run is a pure function of
 * its inputs and its seed.
 *
 * <p>Two ways to schedule. The hot path registers an {@link EventHandler} once and schedules
 * events of four primitives; nothing is allocated per event. The convenient path schedules a
 * {@link Runnable}, for setup, fault plans and other code that runs rarely:
 *
 * <pre>{@code
 * Simulation sim = new Simulation();
 * int arrivals = sim.register((target, kind, payload) -> served[target]++);
 * sim.schedule(SimTime.millis(5), arrivals, 7, 0, 0L);       // (time, handler, target, kind, payload)
 * long timer = sim.after(SimTime.seconds(1), () -> System.out.println("t=" + sim.now()));
 * sim.cancel(timer);                                          // true: it had not run yet
 * sim.runUntil(SimTime.seconds(10));
 * }</pre>
 *
 * <p>Every schedule returns a timer handle ({@code long}, never {@link #NO_TIMER}) that
 * {@link #cancel(long)} accepts; a handle whose event already ran or was cancelled is inert, even
 * after its storage has been reused. One simulation runs on one thread.
 */
public final class Simulation {

    /** A handle no event ever has: use it for "no timer set". */
    public static final long NO_TIMER = 0L;

    /** Latest time an event may be scheduled at (about 73,000 years). */
    public static final long MAX_TIME = EventQueue.MAX_TIME;

    private static final int RUNNABLE_HANDLER = 0;

    private final EventQueue queue;
    private EventHandler[] handlers = new EventHandler[8];
    private int handlerCount;
    private EventTracer tracer;

    private long now;
    private long processed;
    private boolean running;
    private boolean stopRequested;

    public Simulation() {
        this(1024);
    }

    /** {@code expectedPendingEvents} sizes the queue up front; it grows as needed either way. */
    public Simulation(int expectedPendingEvents) {
        this(new EventQueue(expectedPendingEvents));
    }

    Simulation(EventQueue queue) {
        this.queue = queue;
        int id = register(new RunnableHandler());
        assert id == RUNNABLE_HANDLER;
    }

    // ---------------------------------------------------------------- time and counters

    /** Current virtual time in microseconds: the time of the event being handled, or where the run stopped. */
    public long now() {
        return now;
    }

    /** Events dispatched so far (cancelled events are not counted). */
    public long eventsProcessed() {
        return processed;
    }

    /** Events scheduled and neither run nor cancelled yet. */
    public int pendingEvents() {
        return queue.size();
    }

    /** Time of the next event to run, or -1 if none is pending. */
    public long nextEventTime() {
        return queue.peekTime();
    }

    public void setTracer(EventTracer tracer) {
        this.tracer = tracer;
    }

    // ---------------------------------------------------------------- handlers

    /** Registers a handler and returns its id, the {@code handler} argument of the schedule methods. */
    public int register(EventHandler handler) {
        if (handler == null) {
            throw new IllegalArgumentException("handler is null");
        }
        if (handlerCount == handlers.length) {
            handlers = Arrays.copyOf(handlers, handlerCount * 2);
        }
        handlers[handlerCount] = handler;
        return handlerCount++;
    }

    // ---------------------------------------------------------------- scheduling: hot path

    /** Schedules {@code handler.onEvent(target, kind, payload)} at {@code atMicros}. */
    public long schedule(long atMicros, int handler, int target, int kind, long payload) {
        checkTime(atMicros);
        checkHandler(handler);
        return queue.add(atMicros, handler, target, kind, payload, null);
    }

    /** Schedules {@code handler.onEvent(target, kind, payload)} {@code delayMicros} from now. */
    public long after(long delayMicros, int handler, int target, int kind, long payload) {
        long at = now + delayMicros;
        if (delayMicros < 0 || at > MAX_TIME) {
            checkDelay(delayMicros);
            checkTime(at);
        }
        checkHandler(handler);
        return queue.add(at, handler, target, kind, payload, null);
    }

    /**
     * Schedules {@code handler.onEvent(target, kind, payload, attachment)} at {@code atMicros}; the
     * attachment (a message, a timer tag) is held by reference until the event runs or is cancelled.
     */
    public long schedule(long atMicros, int handler, int target, int kind, long payload, Object attachment) {
        checkTime(atMicros);
        checkHandler(handler);
        return queue.add(atMicros, handler, target, kind, payload, attachment);
    }

    /** As {@link #schedule(long, int, int, int, long, Object)}, {@code delayMicros} from now. */
    public long after(long delayMicros, int handler, int target, int kind, long payload, Object attachment) {
        checkDelay(delayMicros);
        return schedule(now + delayMicros, handler, target, kind, payload, attachment);
    }

    // ---------------------------------------------------------------- scheduling: convenient path

    /** Runs {@code action} at {@code atMicros}. */
    public long schedule(long atMicros, Runnable action) {
        if (action == null) {
            throw new IllegalArgumentException("action is null");
        }
        checkTime(atMicros);
        return queue.add(atMicros, RUNNABLE_HANDLER, 0, 0, 0L, action);
    }

    /** Runs {@code action} {@code delayMicros} from now. */
    public long after(long delayMicros, Runnable action) {
        checkDelay(delayMicros);
        return schedule(now + delayMicros, action);
    }

    /** Cancels a pending event; false if it already ran, was already cancelled, or the handle is {@link #NO_TIMER}. */
    public boolean cancel(long timer) {
        return queue.cancel(timer);
    }

    public boolean isPending(long timer) {
        return queue.isPending(timer);
    }

    /** The payload a pending event was scheduled with. */
    public long payloadOf(long timer) {
        return queue.pendingPayload(timer);
    }

    // ---------------------------------------------------------------- running

    /** Runs until no event is pending or {@link #stop()} is called; returns the events this call dispatched. */
    public long run() {
        return runUntil(Long.MAX_VALUE);
    }

    /**
     * Runs every event at or before {@code limitMicros}, then leaves {@link #now()} at
     * {@code limitMicros} (unless stopped earlier, or the limit is {@code Long.MAX_VALUE}).
     * Returns the events this call dispatched.
     */
    public long runUntil(long limitMicros) {
        if (limitMicros < now) {
            throw new IllegalArgumentException("cannot run until " + limitMicros + ": time is already " + now);
        }
        enter();
        long before = processed;
        try {
            EventQueue q = queue;
            if (limitMicros == Long.MAX_VALUE) {
                int s;
                while (!stopRequested && (s = q.poll()) >= 0) {
                    dispatch(q, s);
                }
            } else {
                while (!stopRequested) {
                    long t = q.peekTime();
                    if (t < 0 || t > limitMicros) {
                        now = limitMicros;
                        break;
                    }
                    dispatch(q, q.poll());
                }
            }
        } finally {
            running = false;
        }
        return processed - before;
    }

    /** Runs for {@code durationMicros} of virtual time from now. */
    public long runFor(long durationMicros) {
        checkDelay(durationMicros);
        return runUntil(now + durationMicros);
    }

    /** Runs at most {@code maxEvents} events; returns how many ran. */
    public long runEvents(long maxEvents) {
        enter();
        long before = processed;
        try {
            EventQueue q = queue;
            long end = processed + maxEvents;
            int s;
            while (processed < end && !stopRequested && (s = q.poll()) >= 0) {
                dispatch(q, s);
            }
        } finally {
            running = false;
        }
        return processed - before;
    }

    /** Runs the next event, if any; returns whether one ran. */
    public boolean step() {
        return runEvents(1) == 1;
    }

    /** Makes the current {@code run*} call return after the event being handled. */
    public void stop() {
        stopRequested = true;
    }

    public boolean isRunning() {
        return running;
    }

    private void enter() {
        if (running) {
            throw new IllegalStateException("the simulation is already running: a handler cannot call run()");
        }
        running = true;
        stopRequested = false;
    }

    private void dispatch(EventQueue q, int slot) {
        long t = q.polledTime;
        now = t;
        processed++;
        long word = q.wordOf(slot);
        int handler = (int) (word >>> 32);
        int target = q.targetOf(slot);
        int kind = q.kindOf(slot);
        long payload = q.payloadOf(slot);
        if (tracer != null) {
            tracer.onEvent(t, handler, target, kind, payload);
        }
        if (!EventQueue.hasAttachment(word)) {
            handlers[handler].onEvent(target, kind, payload);
        } else {
            handlers[handler].onEvent(target, kind, payload, q.takeAttachment(slot));
        }
    }

    private void checkTime(long atMicros) {
        if (atMicros < now) {
            throw new IllegalArgumentException("cannot schedule at " + atMicros + ": time is already " + now);
        }
        if (atMicros > MAX_TIME) {
            throw new IllegalArgumentException("cannot schedule at " + atMicros + ": later than Simulation.MAX_TIME");
        }
    }

    private static void checkDelay(long delayMicros) {
        if (delayMicros < 0) {
            throw new IllegalArgumentException("negative delay " + delayMicros);
        }
    }

    private void checkHandler(int handler) {
        if (handler <= RUNNABLE_HANDLER || handler >= handlerCount) {
            throw new IllegalArgumentException("unknown handler id " + handler);
        }
    }

    private static final class RunnableHandler implements EventHandler {
        @Override
        public void onEvent(int target, int kind, long payload) {
            throw new IllegalStateException("a runnable event lost its runnable");
        }

        @Override
        public void onEvent(int target, int kind, long payload, Object attachment) {
            ((Runnable) attachment).run();
        }
    }
}
