package dev.chatlab.reference.fleet;

import java.util.ArrayList;
import java.util.Comparator;

/**
 * The fleet's deadlines (every device's retry, heartbeat, hole and reconnect timers, and the
 * workload's scheduled actions) in one hashed wheel of millisecond slots, served by one periodic
 * tick of the event loop. One Vert.x timer each cost the loop a scheduled task, a timer handler
 * and a map entry, and kept Netty's priority queue of several thousand tasks (about 4.4 timers a
 * message in {@code bench fleet}) to be reordered at every expiry. Not thread-safe: it lives on
 * the fleet's event loop; time is an argument.
 *
 * <pre>{@code
 * TimerWheel wheel = new TimerWheel(nowMicros);
 * wheel.schedule(nowMicros + 1_000_000, () -> retry());   // runs at the first tick at or after it
 * ... every millisecond: wheel.runDue(nowMicros);
 * }</pre>
 *
 * A task runs at the first {@link #runDue} whose time has reached its deadline, never before;
 * tasks due by the same call run in order of deadline, and of scheduling for equal deadlines
 * (as Netty's scheduled tasks do). A deadline beyond the wheel's span waits in its slot and is
 * passed over until its turn comes round.
 */
final class TimerWheel {

    /** Width of a slot. */
    static final long SLOT_MICROS = 1_000;
    /** Slots in the wheel (a power of two): 2.048 s, so a device's 1 s retry lands without a second lap. */
    static final int SLOTS = 2048;

    /** Deadline order; the sort is stable, so equal deadlines keep the order they were scheduled in. */
    private static final Comparator<Entry> BY_DEADLINE = Comparator.comparingLong(e -> e.atMicros);

    /**
     * Each slot's entries as a list linked through the entries, first and last, in the order
     * scheduled: no array per slot to grow (2,000 devices welcomed within a tenth of a second put
     * 20 retries in a slot) and never shrink.
     */
    private final Entry[] firsts = new Entry[SLOTS];
    private final Entry[] lasts = new Entry[SLOTS];
    /** The slot number (time / SLOT_MICROS) up to which every slot has been served. */
    private long servedSlot;
    private int size;
    private final ArrayList<Entry> due = new ArrayList<>();

    TimerWheel(long nowMicros) {
        servedSlot = nowMicros / SLOT_MICROS - 1;
    }

    /** Tasks waiting. */
    int size() {
        return size;
    }

    /** Runs {@code task} at the first {@link #runDue} at or after {@code atMicros}. */
    void schedule(long atMicros, Runnable task) {
        // A deadline in a slot already served goes to the next one to be served, not a lap later.
        long slot = Math.max(atMicros / SLOT_MICROS, servedSlot + 1);
        int i = (int) (slot & (SLOTS - 1));
        Entry e = new Entry(atMicros, task);
        if (lasts[i] == null) {
            firsts[i] = e;
        } else {
            lasts[i].next = e;
        }
        lasts[i] = e;
        size++;
    }

    /** Runs every task due by {@code nowMicros}; returns how many ran. */
    int runDue(long nowMicros) {
        long upTo = nowMicros / SLOT_MICROS;
        if (upTo <= servedSlot || size == 0) {
            servedSlot = Math.max(servedSlot, upTo - 1);
            return 0;
        }
        // Only the slots of the last lap can hold a task due now: a late loop serves at most one lap.
        long from = Math.max(servedSlot + 1, upTo - SLOTS + 1);
        due.clear();
        for (long s = from; s <= upTo; s++) {
            takeDue((int) (s & (SLOTS - 1)), nowMicros);
        }
        // The last slot is only partly past: what it holds for later stays, and it is served again.
        servedSlot = upTo - 1;
        if (due.isEmpty()) {
            return 0;
        }
        size -= due.size();
        if (due.size() > 1) {
            due.sort(BY_DEADLINE);
        }
        Entry[] run = due.toArray(new Entry[0]);
        due.clear();
        for (Entry e : run) {
            e.task.run();
        }
        return run.length;
    }

    /** Moves the entries of slot {@code i} due by {@code nowMicros} into {@link #due}, keeping the rest in order. */
    private void takeDue(int i, long nowMicros) {
        Entry kept = null;
        for (Entry e = firsts[i]; e != null; ) {
            Entry next = e.next;
            e.next = null;
            if (e.atMicros <= nowMicros) {
                due.add(e);
            } else {
                if (kept == null) {
                    firsts[i] = e;
                } else {
                    kept.next = e;
                }
                kept = e;
            }
            e = next;
        }
        if (kept == null) {
            firsts[i] = null;
        }
        lasts[i] = kept;
    }

    private static final class Entry {
        final long atMicros;
        final Runnable task;
        Entry next;

        Entry(long atMicros, Runnable task) {
            this.atMicros = atMicros;
            this.task = task;
        }
    }
}
