package dev.chatlab.checker.facts;

import dev.chatlab.checker.collect.LongIntMap;
import dev.chatlab.checker.collect.LongObjectMap;
import dev.chatlab.checker.collect.LongList;

/**
 * One user's membership of one chat over time: whether a member now, the periods of membership
 * (for "was a member when it was committed"), and what the chat looked like at the current
 * join (its highest committed seq and the length of its late log), which is where owing starts.
 */
final class ChatMembership implements LongObjectMap.Keyed {

    final int id;
    final int user;
    final int chat;
    boolean member;
    /** Counts joins: a new period of membership forgets what an older one owed. */
    int epoch;
    long joinLine;
    long joinMaxSeq;
    int lateAtJoin;
    /** The first period of membership (most users have only one); end 0 while it is open. */
    private long firstStart;
    private long firstEnd;
    /** Alternating start and end lines of any later periods, or null. */
    private LongList laterPeriods;

    ChatMembership(int id, int user, int chat) {
        this.id = id;
        this.user = user;
        this.chat = chat;
    }

    @Override
    public long key() {
        return LongIntMap.pack(user, chat);
    }

    void join(long line, long maxSeq, int lateCount) {
        member = true;
        epoch++;
        joinLine = line;
        joinMaxSeq = maxSeq;
        lateAtJoin = lateCount;
        if (firstStart == 0) {
            firstStart = line;
        } else {
            if (laterPeriods == null) {
                laterPeriods = new LongList(2);
            }
            laterPeriods.add(line);
        }
    }

    void leave(long line) {
        member = false;
        if (laterPeriods == null) {
            firstEnd = line;
        } else {
            laterPeriods.add(line);
        }
    }

    /** True when a member at {@code line}, strictly inside a period. */
    boolean memberAt(long line) {
        if (firstStart == 0) {
            return false;
        }
        if (firstStart < line && (firstEnd == 0 || line < firstEnd)) {
            return true;
        }
        LongList periods = laterPeriods;
        for (int i = 0; periods != null && i < periods.size(); i += 2) {
            long start = periods.get(i);
            long end = i + 1 < periods.size() ? periods.get(i + 1) : Long.MAX_VALUE;
            if (start < line && line < end) {
                return true;
            }
        }
        return false;
    }
}
