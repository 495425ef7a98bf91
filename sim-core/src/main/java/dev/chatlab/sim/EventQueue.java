package dev.chatlab.sim;

import java.util.Arrays;

/**
 * The pending-event set of a {@link Simulation}: an allocation-free ladder queue over primitive
 * arrays, ordered by (time, insertion sequence) so that events at equal times leave in the order
 * they were scheduled.
 *
 * <p>Three tiers hold the events, each covering a later stretch of time than the one before:
 * <ol>
 *   <li>the <em>front</em>: a 4-ary min-heap of (time, seq, slot) holding every event earlier
 *       than {@code frontEnd}. While few events are pending the front is the whole queue
 *       ({@code frontEnd == Long.MAX_VALUE}), the fastest layout for small queues such as an
 *       M/M/1 model;</li>
 *   <li>the <em>rungs</em>: up to {@value #MAX_RUNGS} calendars of unsorted buckets whose width
 *       is a power of two microseconds. Appending to a bucket is O(1); a bucket is sorted (turned
 *       into the front heap) only when time reaches it, and a bucket that turns out crowded is
 *       split into a finer child rung first, so the front heap stays small;</li>
 *   <li>the <em>top</em>: an unsorted list of events beyond the last rung, which becomes a new
 *       rung, sized from its own count and span, when the rungs run dry.</li>
 * </ol>
 *
 * <p>Memory layout is what makes it fast with millions of pending events. Each event lives in a
 * slot of a {@code long[]} (time, seq, payload, target|kind, handler|generation|flags); free
 * slots form a stack, so a handler that schedules one event per event it receives reuses the
 * slot it just freed, still in cache. A bucket (and the top) is a backward-linked list of
 * 16-entry chunks of slot numbers, not a list threaded through the slots: loading a bucket reads
 * its slots' times with independent loads that the CPU overlaps, instead of one cache miss after
 * another down a linked list.
 *
 * <p>A timer handle is (generation, slot); freeing a slot bumps its generation, so a stale handle
 * cannot cancel a later event. Cancellation is lazy: the slot is flagged and skipped when it
 * reaches the front. Not thread-safe: a simulation runs on one thread.
 */
final class EventQueue {

    /** Latest time an event may carry: far enough from overflow that bucket arithmetic is exact. */
    static final long MAX_TIME = Long.MAX_VALUE >> 2;

    static final int MAX_RUNGS = 8;

    private static final int STRIDE = 5;
    private static final int TIME = 0;
    private static final int SEQ = 1;
    private static final int PAYLOAD = 2;
    private static final int TARGET_KIND = 3;
    /** handler (high 32 bits) | generation (bits 2..31) | flags (bits 0..1). */
    private static final int HANDLER_GEN = 4;

    private static final int CANCELLED = 1;
    private static final int HAS_ATTACHMENT = 2;
    /** The generation's bits within the handler|generation|flags word. */
    private static final long GEN_BITS = 0xFFFF_FFFCL;

    private static final int CHUNK_BITS = 4;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK - 1;

    private static final int MAX_BUCKET_BITS = 22;
    private static final int MAX_BUCKETS = 1 << MAX_BUCKET_BITS;

    /** Defaults measured on PHOLD and M/M/1 (see docs/simulator.md). */
    static final Tuning DEFAULT_TUNING = new Tuning(2048, 8192, 64, 32, 8);

    /**
     * Tuning knobs, separate so that tests can shrink them and drive every tier with a few events.
     *
     * @param heapModeMax      a rebuild with at most this many pending events puts them all in the heap
     * @param spillAt          in heap mode, a heap larger than this spills into the rungs
     * @param splitAt          a bucket with more events than this is split into a finer rung
     * @param topPerBucket     average events per bucket when a rung is built from the top
     * @param childPerBucket   average events per bucket when a crowded bucket is split
     */
    record Tuning(int heapModeMax, int spillAt, int splitAt, int topPerBucket, int childPerBucket) {
        Tuning {
            if (heapModeMax < 0 || spillAt <= heapModeMax || splitAt < 1 || topPerBucket < 1 || childPerBucket < 1) {
                throw new IllegalArgumentException("inconsistent queue tuning " + this);
            }
        }
    }

    private final Tuning tuning;
    private final int spillAt;

    // Slots.
    private long[] slots;
    private Object[] attachments;
    private int[] freeSlots;
    private int freeCount;
    private int capacity;
    private long nextSeq;
    private int live;

    // Chunks of slot numbers; a list is (end position, count) and its chunks link backwards.
    private int[] chunkSlots;
    private int[] chunkPrev;
    private int[] freeChunks;
    private int freeChunkCount;
    private int chunkCapacity;

    // Front: 4-ary heap.
    private long[] heapTime;
    private long[] heapSeq;
    private int[] heapSlot;
    private int heapSize;
    private long frontEnd = Long.MAX_VALUE;

    // Rungs: level depth-1 is the finest; bucket b is the list (buckets[2b], buckets[2b+1]).
    private int depth;
    private final long[] rungStart = new long[MAX_RUNGS];
    private final long[] rungEnd = new long[MAX_RUNGS];
    private final int[] rungShift = new int[MAX_RUNGS];
    private final int[] rungCur = new int[MAX_RUNGS];
    private final int[] rungCount = new int[MAX_RUNGS];
    private final int[][] rungBuckets = new int[MAX_RUNGS][];

    // Top: the list of events beyond the last rung.
    private final int[] top = new int[2];
    private long topMin = Long.MAX_VALUE;
    private long topMax = Long.MIN_VALUE;

    /** Time of the event the last poll() removed. */
    long polledTime;

    EventQueue(int initialCapacity) {
        this(initialCapacity, DEFAULT_TUNING);
    }

    EventQueue(int initialCapacity, Tuning tuning) {
        this.tuning = tuning;
        this.spillAt = tuning.spillAt();
        int cap = Math.max(16, initialCapacity);
        slots = new long[cap * STRIDE];
        attachments = new Object[cap];
        freeSlots = new int[cap];
        heapTime = new long[64];
        heapSeq = new long[64];
        heapSlot = new int[64];
        addSlots(cap);
        int chunks = Math.max(16, cap / 8);
        chunkSlots = new int[chunks << CHUNK_BITS];
        chunkPrev = new int[chunks];
        freeChunks = new int[chunks];
        addChunks(chunks);
    }

    /** Live events: scheduled, not yet polled, not cancelled. */
    int size() {
        return live;
    }

    /** Events scheduled so far; the next event gets this sequence number. */
    long scheduledCount() {
        return nextSeq;
    }

    /** Adds an event and returns its handle (never 0). */
    long add(long time, int handler, int target, int kind, long payload, Object attachment) {
        int free = freeCount;
        if (free == 0) {
            addSlots(capacity);
            free = freeCount;
        }
        int s = freeSlots[--free];
        freeCount = free;
        long[] sl = slots;
        int base = s * STRIDE;
        long gen = sl[base + HANDLER_GEN] & GEN_BITS;
        long word = ((long) handler << 32) | gen;
        if (attachment != null) {
            attachments[s] = attachment;
            word |= HAS_ATTACHMENT;
        }
        sl[base + HANDLER_GEN] = word;
        sl[base + PAYLOAD] = payload;
        sl[base + TARGET_KIND] = ((long) target << 32) | (kind & 0xFFFF_FFFFL);
        live++;
        long seq = nextSeq++;
        if (time < frontEnd) {
            heapPush(time, seq, s);
            if (heapSize > spillAt && frontEnd == Long.MAX_VALUE) {
                spillHeap();
            }
        } else {
            insertLater(s, time, seq);
        }
        return (gen << 30) | s;
    }

    /** Cancels a pending event; false if the handle's event already ran, was cancelled, or never existed. */
    boolean cancel(long handle) {
        int s = pendingSlot(handle);
        if (s < 0) {
            return false;
        }
        int base = s * STRIDE;
        slots[base + HANDLER_GEN] |= CANCELLED;
        if (attachments[s] != null) {
            attachments[s] = null; // let the attachment go now rather than when the slot surfaces
        }
        live--;
        return true;
    }

    boolean isPending(long handle) {
        return pendingSlot(handle) >= 0;
    }

    /** Payload of a pending event, for owners that keep side tables keyed by it. */
    long pendingPayload(long handle) {
        int s = pendingSlot(handle);
        if (s < 0) {
            throw new IllegalArgumentException("no pending event for handle " + handle);
        }
        return slots[s * STRIDE + PAYLOAD];
    }

    private int pendingSlot(long handle) {
        int s = (int) handle;
        long gen = (handle >>> 30) & GEN_BITS;
        if (s < 0 || s >= capacity || gen == 0 || (handle >>> 62) != 0) {
            return -1;
        }
        long word = slots[s * STRIDE + HANDLER_GEN];
        if ((word & GEN_BITS) != gen || (word & CANCELLED) != 0) {
            return -1;
        }
        return s;
    }

    /**
     * Removes the earliest live event and returns its slot, or -1 when none is left. Its time is
     * in {@link #polledTime}; the slot is already free, but its fields stay readable through
     * {@link #handlerOf}, {@link #targetOf}, {@link #kindOf}, {@link #payloadOf(int)} and
     * {@link #takeAttachment} until the next {@link #add}.
     */
    int poll() {
        while (true) {
            if (heapSize == 0 && !refill()) {
                return -1;
            }
            int s = heapSlot[0];
            long t = heapTime[0];
            removeHeapTop();
            long[] sl = slots;
            int base = s * STRIDE;
            long word = sl[base + HANDLER_GEN];
            // Bump the generation so the event's handle goes stale; handler and flags stay readable.
            long gen = (word + (1L << 2)) & GEN_BITS;
            sl[base + HANDLER_GEN] = (word & ~GEN_BITS) | (gen == 0 ? 1L << 2 : gen);
            freeSlots[freeCount++] = s;
            if ((word & CANCELLED) != 0) {
                if ((word & HAS_ATTACHMENT) != 0) {
                    attachments[s] = null;
                }
                continue;
            }
            live--;
            polledTime = t;
            return s;
        }
    }

    int handlerOf(int s) {
        return (int) (slots[s * STRIDE + HANDLER_GEN] >>> 32);
    }

    /** The handler|generation|flags word of a slot: {@code (int) (word >>> 32)} is the handler. */
    long wordOf(int s) {
        return slots[s * STRIDE + HANDLER_GEN];
    }

    static boolean hasAttachment(long word) {
        return (word & HAS_ATTACHMENT) != 0;
    }

    int targetOf(int s) {
        return (int) (slots[s * STRIDE + TARGET_KIND] >>> 32);
    }

    int kindOf(int s) {
        return (int) slots[s * STRIDE + TARGET_KIND];
    }

    long payloadOf(int s) {
        return slots[s * STRIDE + PAYLOAD];
    }

    /** The attachment of the slot just polled, or null; releases the queue's reference to it. */
    Object takeAttachment(int s) {
        if ((slots[s * STRIDE + HANDLER_GEN] & HAS_ATTACHMENT) == 0) {
            return null;
        }
        Object attachment = attachments[s];
        attachments[s] = null;
        return attachment;
    }

    /** Time of the earliest live event, or -1 if there is none. */
    long peekTime() {
        while (true) {
            if (heapSize == 0 && !refill()) {
                return -1;
            }
            int s = heapSlot[0];
            int base = s * STRIDE;
            int low = (int) slots[base + HANDLER_GEN];
            if ((low & CANCELLED) == 0) {
                return heapTime[0];
            }
            removeHeapTop();
            long gen = ((low + (1 << 2)) & GEN_BITS);
            slots[base + HANDLER_GEN] = gen == 0 ? 1L << 2 : gen;
            attachments[s] = null;
            freeSlots[freeCount++] = s;
        }
    }

    // ---------------------------------------------------------------- placement

    /** Places an event at or after {@code frontEnd}: in a rung's bucket, or the top. */
    private void insertLater(int s, long time, long seq) {
        long[] sl = slots;
        int base = s * STRIDE;
        sl[base + TIME] = time;
        sl[base + SEQ] = seq;
        for (int l = depth - 1; l >= 0; l--) {
            if (time < rungEnd[l]) {
                append(rungBuckets[l], (int) ((time - rungStart[l]) >>> rungShift[l]) << 1, s);
                rungCount[l]++;
                return;
            }
        }
        appendTop(s, time);
    }

    private void appendTop(int s, long time) {
        append(top, 0, s);
        if (time < topMin) {
            topMin = time;
        }
        if (time > topMax) {
            topMax = time;
        }
    }

    /** Appends slot {@code s} to the list whose (end, count) pair sits at {@code lists[at], lists[at + 1]}. */
    private void append(int[] lists, int at, int s) {
        int count = lists[at + 1];
        int end;
        if ((count & CHUNK_MASK) == 0) {
            if (freeChunkCount == 0) {
                addChunks(chunkCapacity);
            }
            int c = freeChunks[--freeChunkCount];
            chunkPrev[c] = count == 0 ? -1 : (lists[at] - 1) >> CHUNK_BITS;
            end = c << CHUNK_BITS;
        } else {
            end = lists[at];
        }
        chunkSlots[end] = s;
        lists[at] = end + 1;
        lists[at + 1] = count + 1;
    }

    /** Heap mode outgrew the heap: move everything to the top, to be laid out as a rung by the next refill. */
    private void spillHeap() {
        long[] sl = slots;
        for (int i = 0; i < heapSize; i++) {
            int s = heapSlot[i];
            int base = s * STRIDE;
            sl[base + TIME] = heapTime[i];
            sl[base + SEQ] = heapSeq[i];
            appendTop(s, heapTime[i]);
        }
        heapSize = 0;
        frontEnd = Long.MIN_VALUE;
    }

    /** Fills the empty front heap from the finest rung, the top, or nothing; false when no event is left. */
    private boolean refill() {
        while (true) {
            if (depth > 0) {
                int l = depth - 1;
                if (rungCount[l] == 0) {
                    // Everything before this rung's end has run: later arrivals below it go to the heap.
                    frontEnd = rungEnd[l];
                    depth--;
                    continue;
                }
                int[] buckets = rungBuckets[l];
                int b = rungCur[l] + 1;
                while (buckets[(b << 1) + 1] == 0) {
                    b++;
                }
                rungCur[l] = b;
                int end = buckets[b << 1];
                int n = buckets[(b << 1) + 1];
                buckets[(b << 1) + 1] = 0;
                rungCount[l] -= n;
                int shift = rungShift[l];
                long bucketStart = rungStart[l] + ((long) b << shift);
                if (n > tuning.splitAt() && shift > 0 && depth < MAX_RUNGS) {
                    splitBucket(depth, bucketStart, shift, end, n);
                    depth++;
                    continue;
                }
                frontEnd = bucketStart + (1L << shift);
                loadHeap(end, n);
                return true;
            }
            int n = top[1];
            if (n == 0) {
                frontEnd = Long.MAX_VALUE;
                return false;
            }
            if (n <= tuning.heapModeMax()) {
                int end = top[0];
                clearTop();
                loadHeap(end, n);
                frontEnd = Long.MAX_VALUE;
                return true;
            }
            buildRungFromTop();
        }
    }

    /** Makes the empty heap hold exactly the list's events: copy (independent loads), then heapify. */
    private void loadHeap(int end, int n) {
        ensureHeapCapacity(n);
        long[] sl = slots;
        int[] cs = chunkSlots;
        long[] ht = heapTime;
        long[] hs = heapSeq;
        int[] hl = heapSlot;
        int i = 0;
        int c = (end - 1) >> CHUNK_BITS;
        int inChunk = ((n - 1) & CHUNK_MASK) + 1;
        while (true) {
            int from = c << CHUNK_BITS;
            for (int k = from, to = from + inChunk; k < to; k++) {
                int s = cs[k];
                int base = s * STRIDE;
                ht[i] = sl[base + TIME];
                hs[i] = sl[base + SEQ];
                hl[i] = s;
                i++;
            }
            int prev = chunkPrev[c];
            freeChunks[freeChunkCount++] = c;
            if (prev < 0) {
                break;
            }
            c = prev;
            inChunk = CHUNK;
        }
        heapSize = n;
        for (int k = (n - 2) >>> 2; k >= 0 && n > 1; k--) {
            siftDown(k, ht[k], hs[k], hl[k]);
        }
    }

    private void buildRungFromTop() {
        long span = topMax - topMin;
        int n = top[1];
        int target = Math.max(2, Math.min(MAX_BUCKETS - 1, n / tuning.topPerBucket()));
        long width = span / target;
        int shift = width == 0 ? 0 : 64 - Long.numberOfLeadingZeros(width);
        int buckets = (int) (span >>> shift) + 1;
        int end = top[0];
        long start = topMin;
        clearTop();
        openRung(0, start, shift, buckets);
        distribute(0, end, n);
        depth = 1;
    }

    private void splitBucket(int level, long start, int parentShift, int end, int n) {
        int target = Math.max(2, n / tuning.childPerBucket());
        int bits = Math.min(Math.min(31 - Integer.numberOfLeadingZeros(target), parentShift), MAX_BUCKET_BITS);
        openRung(level, start, parentShift - bits, 1 << bits);
        distribute(level, end, n);
    }

    private void openRung(int level, long start, int shift, int buckets) {
        int[] array = rungBuckets[level];
        if (array == null || array.length < buckets << 1) {
            // Every bucket of a drained rung is empty again, so a reused array needs no clearing.
            array = new int[Math.max(buckets, 64) << 1];
            rungBuckets[level] = array;
        }
        rungStart[level] = start;
        rungShift[level] = shift;
        rungEnd[level] = start + ((long) buckets << shift);
        rungCur[level] = -1;
        rungCount[level] = 0;
    }

    /** Moves the events of a list into the buckets of rung {@code level}, freeing the list's chunks. */
    private void distribute(int level, int end, int n) {
        long[] sl = slots;
        int[] buckets = rungBuckets[level];
        long start = rungStart[level];
        int shift = rungShift[level];
        int c = (end - 1) >> CHUNK_BITS;
        int inChunk = ((n - 1) & CHUNK_MASK) + 1;
        while (true) {
            int from = c << CHUNK_BITS;
            int prev = chunkPrev[c];
            for (int k = from, to = from + inChunk; k < to; k++) {
                int s = chunkSlots[k];
                append(buckets, (int) ((sl[s * STRIDE + TIME] - start) >>> shift) << 1, s);
            }
            freeChunks[freeChunkCount++] = c;
            if (prev < 0) {
                break;
            }
            c = prev;
            inChunk = CHUNK;
        }
        rungCount[level] += n;
    }

    private void clearTop() {
        top[0] = 0;
        top[1] = 0;
        topMin = Long.MAX_VALUE;
        topMax = Long.MIN_VALUE;
    }

    // ---------------------------------------------------------------- 4-ary heap

    private void ensureHeapCapacity(int n) {
        if (n > heapTime.length) {
            int size = Math.max(n, heapTime.length << 1);
            heapTime = Arrays.copyOf(heapTime, size);
            heapSeq = Arrays.copyOf(heapSeq, size);
            heapSlot = Arrays.copyOf(heapSlot, size);
        }
    }

    private void heapPush(long time, long seq, int slot) {
        ensureHeapCapacity(heapSize + 1);
        long[] ht = heapTime;
        long[] hs = heapSeq;
        int[] hl = heapSlot;
        int i = heapSize++;
        while (i > 0) {
            int p = (i - 1) >>> 2;
            long pt = ht[p];
            if (pt < time || (pt == time && hs[p] < seq)) {
                break;
            }
            ht[i] = pt;
            hs[i] = hs[p];
            hl[i] = hl[p];
            i = p;
        }
        ht[i] = time;
        hs[i] = seq;
        hl[i] = slot;
    }

    private void removeHeapTop() {
        int n = --heapSize;
        if (n > 0) {
            siftDown(0, heapTime[n], heapSeq[n], heapSlot[n]);
        }
    }

    /** Places (time, seq, slot) at or below position {@code i} of the heap of {@code heapSize} entries. */
    private void siftDown(int i, long time, long seq, int slot) {
        int n = heapSize;
        long[] ht = heapTime;
        long[] hs = heapSeq;
        int[] hl = heapSlot;
        while (true) {
            int c = (i << 2) + 1;
            if (c >= n) {
                break;
            }
            int end = Math.min(c + 4, n);
            int m = c;
            long mt = ht[c];
            long ms = hs[c];
            for (int j = c + 1; j < end; j++) {
                long jt = ht[j];
                if (jt < mt || (jt == mt && hs[j] < ms)) {
                    m = j;
                    mt = jt;
                    ms = hs[j];
                }
            }
            if (time < mt || (time == mt && seq < ms)) {
                break;
            }
            ht[i] = mt;
            hs[i] = ms;
            hl[i] = hl[m];
            i = m;
        }
        ht[i] = time;
        hs[i] = seq;
        hl[i] = slot;
    }

    // ---------------------------------------------------------------- growth

    private void addSlots(int more) {
        int oldCap = capacity;
        int newCap = oldCap + more;
        if (oldCap > 0) {
            slots = Arrays.copyOf(slots, newCap * STRIDE);
            attachments = Arrays.copyOf(attachments, newCap);
            freeSlots = Arrays.copyOf(freeSlots, newCap);
        }
        // Hand out low slots first, and start every generation at 1 so that no handle is 0.
        for (int s = newCap - 1; s >= oldCap; s--) {
            slots[s * STRIDE + HANDLER_GEN] = 1L << 2;
            freeSlots[freeCount++] = s;
        }
        capacity = newCap;
    }

    private void addChunks(int more) {
        int oldCap = chunkCapacity;
        int newCap = oldCap + more;
        if (oldCap > 0) {
            chunkSlots = Arrays.copyOf(chunkSlots, newCap << CHUNK_BITS);
            chunkPrev = Arrays.copyOf(chunkPrev, newCap);
            freeChunks = Arrays.copyOf(freeChunks, newCap);
        }
        for (int c = newCap - 1; c >= oldCap; c--) {
            freeChunks[freeChunkCount++] = c;
        }
        chunkCapacity = newCap;
    }
}
