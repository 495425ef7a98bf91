package dev.chatlab.checker;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.Ack;
import dev.chatlab.core.history.HistoryEvent.Deliver;
import dev.chatlab.core.history.HistoryEvent.Fail;
import dev.chatlab.core.history.HistoryEvent.Member;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.Quiesce;
import dev.chatlab.core.history.HistoryEvent.Read;
import dev.chatlab.core.history.HistoryEvent.Receipt;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Send;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Targeted mutations of a correct history, each breaking one invariant on purpose. Each returns
 * empty when the history offers no place for it (the property then discards the try).
 */
final class Mutations {

    private final List<HistoryEvent> history;
    private final Random random;

    Mutations(List<HistoryEvent> history, Random random) {
        this.history = history;
        this.random = random;
    }

    /**
     * per-device-order and no-hole: a device's two consecutive deliveries in a chat trade places, so
     * the larger seq comes first (a hole: the smaller one is owed and committed) and the smaller one
     * after it (out of order). Only pairs where nothing else can break: the second message was
     * committed before the first delivery (else it is also a phantom there), and no read or
     * receipt of the chat lies between the two.
     */
    Optional<List<HistoryEvent>> swapTwoDeliveries() {
        List<int[]> pairs = new ArrayList<>();
        for (int[] pair : consecutiveDeliveries(i -> true)) {
            Deliver first = (Deliver) history.get(pair[0]);
            Deliver second = (Deliver) history.get(pair[1]);
            if (first.seq() < second.seq() && owedAt(first, pair[0]) && !first.from().equals(first.user())
                    && commitIndex(second.chat(), second.from(), second.cmid()) < pair[0]
                    && noReadOrReceiptBetween(first.chat(), pair[0], pair[1])) {
                pairs.add(pair);
            }
        }
        if (pairs.isEmpty()) {
            return Optional.empty();
        }
        int[] pair = pick(pairs);
        Deliver first = (Deliver) history.get(pair[0]);
        Deliver second = (Deliver) history.get(pair[1]);
        List<HistoryEvent> out = new ArrayList<>(history);
        out.set(pair[0], new Deliver(first.t(), first.user(), first.device(), first.chat(), second.seq(), second.cmid(),
                second.from(), first.via()));
        out.set(pair[1], new Deliver(second.t(), second.user(), second.device(), second.chat(), first.seq(), first.cmid(),
                first.from(), second.via()));
        return Optional.of(out);
    }

    /** per-device-order: the same delivery twice. */
    Optional<List<HistoryEvent>> duplicateDelivery() {
        List<Integer> delivers = indices(e -> e instanceof Deliver);
        if (delivers.isEmpty()) {
            return Optional.empty();
        }
        int at = pick(delivers);
        List<HistoryEvent> out = new ArrayList<>(history);
        out.add(at + 1, history.get(at));
        return Optional.of(out);
    }

    /**
     * no-hole: an owed delivery, committed by an ack before it, vanishes while a later one stays.
     * The quiesce goes too: with it, the device would also be owed the message at the end
     * (no-lost-ack). Only deliveries no read or receipt refers to (read-after-deliver,
     * receipt-truthful).
     */
    Optional<List<HistoryEvent>> dropDeliveryBeforeAnother() {
        List<int[]> pairs = new ArrayList<>();
        for (int[] pair : consecutiveDeliveries(i -> true)) {
            Deliver d = (Deliver) history.get(pair[0]);
            int commit = commitIndex(d.chat(), d.from(), d.cmid());
            // Owed at the later delivery: committed before the dropped one, since the user's last join before the later one.
            if (commit < pair[0] && commit > lastAddBefore(d.user(), d.chat(), pair[1]) && memberAt(d.user(), d.chat(), pair[1])
                    && !referredToByAReadOrReceipt(d)) {
                pairs.add(pair);
            }
        }
        if (pairs.isEmpty()) {
            return Optional.empty();
        }
        int[] pair = pick(pairs);
        List<HistoryEvent> out = new ArrayList<>(history);
        out.remove(pair[0]);
        out.removeIf(e -> e instanceof Quiesce);
        return Optional.of(out);
    }

    /** no-lost-ack: a device's last delivery in a chat, after the quiesce, of a message owed to it, vanishes. */
    Optional<List<HistoryEvent>> dropLastDeliveryAfterQuiesce() {
        int quiesce = indices(e -> e instanceof Quiesce).stream().findFirst().orElse(-1);
        if (quiesce < 0) {
            return Optional.empty();
        }
        List<Integer> candidates = new ArrayList<>();
        for (int i = quiesce + 1; i < history.size(); i++) {
            if (!(history.get(i) instanceof Deliver d)) {
                continue;
            }
            int commit = commitIndex(d.chat(), d.from(), d.cmid());
            boolean lastOfDevice = true;
            for (int k = i + 1; k < history.size(); k++) {
                if (history.get(k) instanceof Deliver later && later.user().equals(d.user())
                        && later.device().equals(d.device()) && later.chat().equals(d.chat())) {
                    lastOfDevice = false;
                    break;
                }
            }
            if (lastOfDevice && commit < i && commit > lastAddBefore(d.user(), d.chat(), history.size())
                    && memberAt(d.user(), d.chat(), history.size())) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        List<HistoryEvent> out = new ArrayList<>(history);
        out.remove((int) pick(candidates));
        return Optional.of(out);
    }

    /**
     * unique-seq: a message already acked is acked once more, under the seq of an earlier message
     * of the chat (it then has two seqs, and that seq names two messages). The message's first ack
     * and its deliveries stay as they were, so nothing else can break.
     */
    Optional<List<HistoryEvent>> reuseSeq() {
        List<int[]> pairs = new ArrayList<>();
        for (int j = 0; j < history.size(); j++) {
            if (history.get(j) instanceof Ack later && ack(later.chat(), later.user(), later.cmid()) == j) {
                for (int i = 0; i < j; i++) {
                    if (history.get(i) instanceof Ack earlier && earlier.chat().equals(later.chat())
                            && earlier.seq() != later.seq()) {
                        pairs.add(new int[] {i, j});
                    }
                }
            }
        }
        if (pairs.isEmpty()) {
            return Optional.empty();
        }
        int[] pair = pick(pairs);
        Ack earlier = (Ack) history.get(pair[0]);
        Ack later = (Ack) history.get(pair[1]);
        List<HistoryEvent> out = new ArrayList<>(history);
        out.add(pair[1] + 1, new Ack(later.t(), later.user(), later.device(), later.chat(), later.cmid(), earlier.seq()));
        return Optional.of(out);
    }

    /**
     * no-phantom: a failed message shows up on another member's device at the end. (The quiesce
     * goes: a delivery commits the ghost, which the other devices would then be owed, no-lost-ack.)
     */
    Optional<List<HistoryEvent>> deliverFailedMessage() {
        List<Integer> fails = indices(e -> e instanceof Fail);
        if (fails.isEmpty()) {
            return Optional.empty();
        }
        Fail fail = (Fail) history.get(pick(fails));
        Deliver ghost = deliverAtEnd(fail.chat(), fail.user(), fail.cmid());
        return ghost == null ? Optional.empty() : Optional.of(withoutQuiesce(append(ghost)));
    }

    /** no-phantom: a message nobody sent shows up at the end (without the quiesce, as above). */
    Optional<List<HistoryEvent>> deliverUnsentMessage() {
        List<Integer> sends = indices(e -> e instanceof Send);
        if (sends.isEmpty()) {
            return Optional.empty();
        }
        Send send = (Send) history.get(pick(sends));
        Deliver ghost = deliverAtEnd(send.chat(), send.user(), "never-sent-" + random.nextInt(1000));
        return ghost == null ? Optional.empty() : Optional.of(withoutQuiesce(append(ghost)));
    }

    /**
     * membership: a user removed from a chat (for good) receives, at the end, a message committed
     * after the removal (at the end, so its seq is above all the device delivered: in order).
     */
    Optional<List<HistoryEvent>> deliverToRemovedMember() {
        List<int[]> pairs = new ArrayList<>();
        for (int r = 0; r < history.size(); r++) {
            if (history.get(r) instanceof Member m && m.op() == MemberOp.REMOVE
                    && lastAddBefore(m.user(), m.chat(), history.size()) < r) {
                for (int a = r + 1; a < history.size(); a++) {
                    if (history.get(a) instanceof Ack ack && ack.chat().equals(m.chat()) && !ack.user().equals(m.user())
                            && !memberAt(m.user(), m.chat(), a + 1)
                            && commitIndex(ack.chat(), ack.user(), ack.cmid()) == a) {
                        pairs.add(new int[] {r, a});
                    }
                }
            }
        }
        if (pairs.isEmpty()) {
            return Optional.empty();
        }
        int[] pair = pick(pairs);
        Member removed = (Member) history.get(pair[0]);
        Ack ack = (Ack) history.get(pair[1]);
        String device = deviceOf(removed.user());
        long t = history.get(history.size() - 1).t();
        return Optional.of(append(new Deliver(t, removed.user(), device == null ? "phone" : device, ack.chat(), ack.seq(),
                ack.cmid(), ack.user(), HistoryEvent.Via.PUSH)));
    }

    /** receipt-monotone: an observer is told an older watermark again after a newer one. */
    Optional<List<HistoryEvent>> lowerReceiptWatermark() {
        List<int[]> pairs = new ArrayList<>();
        for (int j = 0; j < history.size(); j++) {
            if (history.get(j) instanceof Receipt later) {
                for (int i = 0; i < j; i++) {
                    if (history.get(i) instanceof Receipt earlier && earlier.user().equals(later.user())
                            && earlier.device().equals(later.device()) && earlier.chat().equals(later.chat())
                            && earlier.by().equals(later.by()) && earlier.state() == later.state()
                            && earlier.seq() < later.seq()) {
                        pairs.add(new int[] {i, j});
                    }
                }
            }
        }
        if (pairs.isEmpty()) {
            return Optional.empty();
        }
        int[] pair = pick(pairs);
        Receipt earlier = (Receipt) history.get(pair[0]);
        Receipt later = (Receipt) history.get(pair[1]);
        List<HistoryEvent> out = new ArrayList<>(history);
        out.add(pair[1] + 1, new Receipt(later.t(), earlier.user(), earlier.device(), earlier.chat(), earlier.by(),
                earlier.state(), earlier.seq()));
        return Optional.of(out);
    }

    /** read-after-deliver: a device reads a seq just before it delivers it. */
    Optional<List<HistoryEvent>> readBeforeDeliver() {
        List<Integer> delivers = indices(e -> e instanceof Deliver);
        if (delivers.isEmpty()) {
            return Optional.empty();
        }
        int at = pick(delivers);
        Deliver d = (Deliver) history.get(at);
        List<HistoryEvent> out = new ArrayList<>(history);
        out.add(at, new Read(d.t(), d.user(), d.device(), d.chat(), d.seq()));
        return Optional.of(out);
    }

    /** receipt-truthful: an observer is told a member read further than anyone has. */
    Optional<List<HistoryEvent>> lyingReadReceipt() {
        List<Integer> delivers = indices(e -> e instanceof Deliver);
        if (delivers.isEmpty()) {
            return Optional.empty();
        }
        Deliver d = (Deliver) history.get(pick(delivers));
        long t = history.get(history.size() - 1).t();
        return Optional.of(append(new Receipt(t, d.user(), d.device(), d.chat(), d.from(), ReceiptState.READ,
                maxSeq(d.chat()) + 100)));
    }

    /** receipt-truthful: an observer is told a member delivered a seq that no device of it delivered. */
    Optional<List<HistoryEvent>> lyingDeliveredReceipt() {
        List<Integer> delivers = indices(e -> e instanceof Deliver);
        if (delivers.isEmpty()) {
            return Optional.empty();
        }
        Deliver d = (Deliver) history.get(pick(delivers));
        long t = history.get(history.size() - 1).t();
        return Optional.of(append(new Receipt(t, d.user(), d.device(), d.chat(), d.from(), ReceiptState.DELIVERED,
                maxSeq(d.chat()) + 100)));
    }

    /**
     * sender-fifo: m1 is acked before m2 is first sent by the same device, and m2's ack gives it a
     * seq just below m1's. The history ends at that ack, before anyone delivers m2 (a device that
     * delivered m1 and then m2 would see them out of order too) and before the quiesce (m2 would
     * be owed). The chat's seqs are spread ten apart first, so the seq below m1's is free.
     */
    Optional<List<HistoryEvent>> ackBelowAnEarlierAckOfTheSameSender() {
        int quiesce = indices(e -> e instanceof Quiesce).stream().findFirst().orElse(history.size());
        List<int[]> pairs = new ArrayList<>();
        for (int s = 0; s < quiesce; s++) {
            if (!(history.get(s) instanceof Send m2) || firstSend(m2.chat(), m2.user(), m2.cmid()) != s) {
                continue;
            }
            int ack2 = ackIndex(m2.chat(), m2.user(), m2.cmid());
            if (ack2 < 0 || ack2 >= quiesce || commitIndex(m2.chat(), m2.user(), m2.cmid()) != ack2) {
                continue;
            }
            for (int a = 0; a < s; a++) {
                if (history.get(a) instanceof Ack m1 && m1.user().equals(m2.user()) && m1.device().equals(m2.device())
                        && m1.chat().equals(m2.chat())) {
                    pairs.add(new int[] {a, ack2});
                }
            }
        }
        if (pairs.isEmpty()) {
            return Optional.empty();
        }
        int[] pair = pick(pairs);
        Ack m1 = (Ack) history.get(pair[0]);
        Ack m2 = (Ack) history.get(pair[1]);
        List<HistoryEvent> out = new ArrayList<>();
        for (HistoryEvent e : history.subList(0, pair[1])) {
            out.add(spreadSeqs(e, m1.chat()));
        }
        out.add(new Ack(m2.t(), m2.user(), m2.device(), m2.chat(), m2.cmid(), m1.seq() * SPREAD - 1));
        return Optional.of(out);
    }

    // ------------------------------------------------------------------ helpers

    /** Seqs need not be contiguous (Snowflake ids are not): spreading them keeps a correct history correct. */
    private static final long SPREAD = 10;

    private static HistoryEvent spreadSeqs(HistoryEvent e, String chat) {
        if (e instanceof Ack x && x.chat().equals(chat)) {
            return new Ack(x.t(), x.user(), x.device(), x.chat(), x.cmid(), x.seq() * SPREAD);
        } else if (e instanceof Deliver x && x.chat().equals(chat)) {
            return new Deliver(x.t(), x.user(), x.device(), x.chat(), x.seq() * SPREAD, x.cmid(), x.from(), x.via());
        } else if (e instanceof Read x && x.chat().equals(chat)) {
            return new Read(x.t(), x.user(), x.device(), x.chat(), x.seq() * SPREAD);
        } else if (e instanceof Receipt x && x.chat().equals(chat)) {
            return new Receipt(x.t(), x.user(), x.device(), x.chat(), x.by(), x.state(), x.seq() * SPREAD);
        }
        return e;
    }

    /** Owed to the delivering device at that point: committed before, since its user's last join, still a member. */
    private boolean owedAt(Deliver d, int at) {
        int commit = commitIndex(d.chat(), d.from(), d.cmid());
        return commit < at && commit > lastAddBefore(d.user(), d.chat(), at) && memberAt(d.user(), d.chat(), at);
    }

    private boolean noReadOrReceiptBetween(String chat, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if ((history.get(i) instanceof Read r && r.chat().equals(chat))
                    || (history.get(i) instanceof Receipt x && x.chat().equals(chat))) {
                return false;
            }
        }
        return true;
    }

    /** A read of the delivery's seq on its device, or a receipt of that seq by its user. */
    private boolean referredToByAReadOrReceipt(Deliver d) {
        for (HistoryEvent e : history) {
            if ((e instanceof Read r && r.chat().equals(d.chat()) && r.user().equals(d.user()) && r.device().equals(d.device())
                    && r.seq() == d.seq())
                    || (e instanceof Receipt x && x.chat().equals(d.chat()) && x.by().equals(d.user()) && x.seq() == d.seq())) {
                return true;
            }
        }
        return false;
    }

    /** Pairs of indices (i, j): deliveries of one device in one chat with no delivery of it in between. */
    private List<int[]> consecutiveDeliveries(Predicate<Integer> firstOk) {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            if (!(history.get(i) instanceof Deliver d)) {
                continue;
            }
            for (int j = i + 1; j < history.size(); j++) {
                if (history.get(j) instanceof Deliver next && next.user().equals(d.user())
                        && next.device().equals(d.device()) && next.chat().equals(d.chat())) {
                    if (firstOk.test(i)) {
                        pairs.add(new int[] {i, j});
                    }
                    break;
                }
            }
        }
        return pairs;
    }

    private Deliver deliverAtEnd(String chat, String from, String cmid) {
        long t = history.get(history.size() - 1).t();
        for (HistoryEvent e : history) {
            if (e instanceof Deliver d && d.chat().equals(chat) && !d.user().equals(from) && memberAt(d.user(), chat, history.size())) {
                return new Deliver(t, d.user(), d.device(), chat, maxSeq(chat) + 7, cmid, from, HistoryEvent.Via.PUSH);
            }
        }
        return null;
    }

    private static List<HistoryEvent> withoutQuiesce(List<HistoryEvent> events) {
        events.removeIf(e -> e instanceof Quiesce);
        return events;
    }

    private List<HistoryEvent> append(HistoryEvent event) {
        List<HistoryEvent> out = new ArrayList<>(history);
        out.add(event);
        return out;
    }

    private long maxSeq(String chat) {
        long max = 0;
        for (HistoryEvent e : history) {
            if (e instanceof Ack a && a.chat().equals(chat)) {
                max = Math.max(max, a.seq());
            } else if (e instanceof Deliver d && d.chat().equals(chat)) {
                max = Math.max(max, d.seq());
            }
        }
        return max;
    }

    private int ackIndex(String chat, String user, String cmid) {
        return ack(chat, user, cmid);
    }

    /** Index of the event that committed the message: its first ack or first deliver, whichever is first. */
    private int commitIndex(String chat, String from, String cmid) {
        for (int i = 0; i < history.size(); i++) {
            HistoryEvent e = history.get(i);
            if (e instanceof Ack a && a.chat().equals(chat) && a.user().equals(from) && a.cmid().equals(cmid)) {
                return i;
            }
            if (e instanceof Deliver d && d.chat().equals(chat) && d.from().equals(from) && d.cmid().equals(cmid)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private int ack(String chat, String user, String cmid) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i) instanceof Ack a && a.chat().equals(chat) && a.user().equals(user) && a.cmid().equals(cmid)) {
                return i;
            }
        }
        return -1;
    }

    private int firstSend(String chat, String user, String cmid) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i) instanceof Send s && s.chat().equals(chat) && s.user().equals(user) && s.cmid().equals(cmid)) {
                return i;
            }
        }
        return -1;
    }

    private int lastAddBefore(String user, String chat, int end) {
        int last = -1;
        for (int i = 0; i < end; i++) {
            if (history.get(i) instanceof Member m && m.op() == MemberOp.ADD && m.user().equals(user) && m.chat().equals(chat)) {
                last = i;
            }
        }
        return last;
    }

    private boolean memberAt(String user, String chat, int end) {
        boolean member = false;
        for (int i = 0; i < end; i++) {
            if (history.get(i) instanceof Member m && m.user().equals(user) && m.chat().equals(chat)) {
                member = m.op() == MemberOp.ADD;
            }
        }
        return member;
    }

    private String deviceOf(String user) {
        for (HistoryEvent e : history) {
            if (e instanceof HistoryEvent.Connect c && c.user().equals(user)) {
                return c.device();
            }
        }
        return null;
    }

    private List<Integer> indices(Predicate<HistoryEvent> test) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            if (test.test(history.get(i))) {
                out.add(i);
            }
        }
        return out;
    }

    private <T> T pick(List<T> options) {
        return Objects.requireNonNull(options.get(random.nextInt(options.size())));
    }
}
