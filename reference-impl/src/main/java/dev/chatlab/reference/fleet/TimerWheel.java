package dev.chatlab.reference.fleet;

import java.util.ArrayList;
import java.util.Arrays;
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

    private static final Comparator<Entry> BY_DEADLINE = Comparator.comparingLong((Entry e) -> e.atMicros)
            .thenComparingLong(e -> e.order);

    private final Slot[] slots = new Slot[SLOTS];
    /** The slot number (time / SLOT_MICROS) up to which every slot has been served. */
    private long servedSlot;
    private long nextOrder;
    private int size;
    private final ArrayList<Entry> due = new ArrayList<>();

    TimerWheel(long nowMicros) {
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Slot();
        }
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
        slots[(int) (slot & (SLOTS - 1))].add(new Entry(atMicros, nextOrder++, task));
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
            slots[(int) (s & (SLOTS - 1))].takeDue(nowMicros, due);
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

    private record Entry(long atMicros, long order, Runnable task) {
    }

    /** The entries of one slot, in the order scheduled; an array, since most slots hold a few. */
    private static final class Slot {
        private Entry[] entries = new Entry[0];
        private int count;

        void add(Entry e) {
            if (count == entries.length) {
                entries = Arrays.copyOf(entries, Math.max(4, count * 2));
            }
            entries[count++] = e;
        }

        /** Moves the entries due by {@code nowMicros} into {@code out}, keeping the rest in order. */
        void takeDue(long nowMicros, ArrayList<Entry> out) {
            int kept = 0;
            for (int i = 0; i < count; i++) {
                Entry e = entries[i];
                if (e.atMicros <= nowMicros) {
                    out.add(e);
                } else {
                    entries[kept++] = e;
                }
            }
            Arrays.fill(entries, kept, count, null);
            count = kept;
        }
    }
}
