package dev.chatlab.checker.facts;

import dev.chatlab.checker.collect.LongIntMap;
import dev.chatlab.checker.collect.LongObjectMap;

import java.util.Arrays;

/**
 * The (device, chat) rows, found by device first: each device has a small index of its own, one
 * cache line with the ids of its first {@link #INLINE} chats and of their rows, so that finding
 * a row costs one miss there and one in the row, instead of several in a hash table over all
 * rows. Most devices are in a few chats; the rows of a device's further chats go to a hash map.
 *
 * <pre>{@code
 * DeviceChats rows = new DeviceChats();
 * DeviceChat row = rows.intern(device, chat);   // created on first use
 * DeviceChat same = rows.find(device, chat);    // or null if never created
 * }</pre>
 */
final class DeviceChats {

    /** Chats per device kept in its index: (chat + 1, row id) pairs, 0 for a free pair. */
    private static final int INLINE = 4;
    private static final int STRIDE = INLINE * 2;
    /**
     * Ints before the first index: the data of an array starts 16 bytes into it, and a large
     * array starts on a region of the heap, so 12 more ints put every device's 32 bytes on a cache
     * line of their own.
     */
    private static final int PAD = 12;

    private int[] index = new int[PAD + 1024 * STRIDE];
    private DeviceChat[] rows = new DeviceChat[4096];
    private int size;
    private final LongObjectMap<DeviceChat> overflow = new LongObjectMap<>(1024);

    int size() {
        return size;
    }

    DeviceChat row(int id) {
        return rows[id];
    }

    /** Reads the device's index, where its rows will be found: a hint that they are wanted soon. */
    int touch(int device) {
        int base = PAD + device * STRIDE;
        return base < index.length ? index[base] : 0;
    }

    /** The row of (device, chat), created when new. */
    DeviceChat intern(int device, int chat) {
        return lookUp(device, chat, true);
    }

    /** The row of (device, chat), or null. */
    DeviceChat find(int device, int chat) {
        return lookUp(device, chat, false);
    }

    private DeviceChat lookUp(int device, int chat, boolean create) {
        int base = PAD + device * STRIDE;
        if (base + STRIDE > index.length) {
            if (!create) {
                return null;
            }
            index = Arrays.copyOf(index, Math.max(base + STRIDE, PAD + (index.length - PAD) * 2));
        }
        int[] in = index;
        for (int i = base; i < base + STRIDE; i += 2) {
            int held = in[i];
            if (held == chat + 1) {
                return rows[in[i + 1]];
            }
            if (held == 0) {
                if (!create) {
                    return null;
                }
                DeviceChat row = add(device, chat);
                in[i] = chat + 1;
                in[i + 1] = row.id;
                return row;
            }
        }
        long key = LongIntMap.pack(device, chat);
        DeviceChat row = overflow.get(key);
        if (row == null && create) {
            row = add(device, chat);
            overflow.put(row);
        }
        return row;
    }

    private DeviceChat add(int device, int chat) {
        DeviceChat row = new DeviceChat(size, device, chat);
        if (size == rows.length) {
            rows = Arrays.copyOf(rows, size * 2);
        }
        rows[size++] = row;
        return row;
    }
}
