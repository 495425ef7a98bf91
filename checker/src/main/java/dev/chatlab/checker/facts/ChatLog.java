package dev.chatlab.checker.facts;

import dev.chatlab.checker.collect.IntList;
import dev.chatlab.checker.collect.LongList;

/**
 * The committed messages of one chat, sorted by seq, and the log of <em>late</em> commits: those
 * whose seq was below the chat's highest committed seq when they were committed. A device that
 * has already delivered past a late message may be missing it; every other owed message lies
 * above the device's last delivery, so the checker finds gaps by scanning a short seq range plus
 * the late log since the device last looked.
 *
 * <pre>{@code
 * ChatLog log = new ChatLog();
 * log.commit(5, messageA);
 * log.commit(3, messageB);           // late: 3 < 5
 * int from = log.firstAbove(3);      // index of seq 5
 * }</pre>
 */
public final class ChatLog {

    private final LongList seqs = new LongList(4);
    private final IntList messages = new IntList(4);
    private final IntList late = new IntList(2);
    private long maxSeq;

    /** Records that {@code message} was committed with {@code seq}; true when the commit is late. */
    public boolean commit(long seq, int message) {
        if (seqs.isEmpty() || seq >= seqs.last()) {
            seqs.add(seq);
            messages.add(message);
        } else {
            int at = seqs.upperBound(seq);
            seqs.insert(at, seq);
            messages.insert(at, message);
        }
        boolean isLate = seq < maxSeq;
        if (isLate) {
            late.add(message);
        }
        maxSeq = Math.max(maxSeq, seq);
        return isLate;
    }

    /** The highest committed seq, 0 when nothing is committed. */
    public long maxSeq() {
        return maxSeq;
    }

    public int size() {
        return seqs.size();
    }

    public long seqAt(int index) {
        return seqs.get(index);
    }

    public int messageAt(int index) {
        return messages.get(index);
    }

    /** The index of the first committed message whose seq is above {@code seq}. */
    public int firstAbove(long seq) {
        return seqs.upperBound(seq);
    }

    public int lateCount() {
        return late.size();
    }

    public int lateAt(int index) {
        return late.get(index);
    }
}
