package dev.chatlab.core.harness;

import dev.chatlab.core.history.HistoryEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The few safety properties chat-core's own tests assert on a recorded history: per-device
 * order, no duplicates, every acknowledged message delivered after quiesce to every device owed
 * it, receipts never going backwards, no failed message ever stored. The checker module judges the full contract; this small
 * judge keeps chat-core's tests free of a dependency on it.
 */
final class HistoryJudge {

    final List<String> problems = new ArrayList<>();
    int acks;
    int delivers;
    int fails;
    /** (message, device) pairs the loss rule judged: live devices after the quiesce owed a committed message. */
    int owed;

    static HistoryJudge judge(List<HistoryEvent> history) {
        HistoryJudge j = new HistoryJudge();
        j.run(history);
        return j;
    }

    private void run(List<HistoryEvent> history) {
        Map<String, Long> lastSeq = new HashMap<>();
        Map<String, Set<Long>> deliveredBy = new HashMap<>();
        Map<String, Long> receiptMarks = new HashMap<>();
        Map<String, Set<String>> members = new HashMap<>();
        Map<String, Set<String>> devicesOf = new HashMap<>();
        // chat -> (seq -> sender device and the members owed it when committed)
        Map<String, Map<Long, Owed>> committed = new HashMap<>();
        Map<String, String> seqOwner = new HashMap<>();
        // Owed every committed message: devices whose session is open at the quiesce, or opens after it.
        Set<String> liveAfterQuiesce = new HashSet<>();
        Set<String> open = new HashSet<>();
        boolean quiesced = false;
        // A fail promises the message never exists: no ack and no delivery of it, before or after.
        Set<String> failed = new HashSet<>();
        Set<String> appeared = new HashSet<>();
        for (HistoryEvent e : history) {
            if (e instanceof HistoryEvent.Fail f) {
                fails++;
                failed.add(f.chat() + "/" + f.user() + "/" + f.cmid());
            } else if (e instanceof HistoryEvent.Ack a) {
                appeared.add(a.chat() + "/" + a.user() + "/" + a.cmid());
            } else if (e instanceof HistoryEvent.Deliver d) {
                appeared.add(d.chat() + "/" + d.from() + "/" + d.cmid());
            }
            if (e instanceof HistoryEvent.Member m) {
                Set<String> set = members.computeIfAbsent(m.chat(), c -> new HashSet<>());
                if (m.op() == HistoryEvent.MemberOp.ADD) {
                    set.add(m.user());
                } else {
                    set.remove(m.user());
                    for (Owed owed : committed.getOrDefault(m.chat(), Map.of()).values()) {
                        owed.users.remove(m.user());
                    }
                }
            } else if (e instanceof HistoryEvent.Connect c) {
                devicesOf.computeIfAbsent(c.user(), u -> new HashSet<>()).add(c.user() + "/" + c.device());
                open.add(c.user() + "/" + c.device());
                if (quiesced) {
                    liveAfterQuiesce.add(c.user() + "/" + c.device());
                }
            } else if (e instanceof HistoryEvent.Disconnect d) {
                open.remove(d.user() + "/" + d.device());
            } else if (e instanceof HistoryEvent.Quiesce) {
                quiesced = true;
                liveAfterQuiesce.addAll(open);
            } else if (e instanceof HistoryEvent.Ack a) {
                acks++;
                commit(committed, members, a.chat(), a.seq(), a.user() + "/" + a.device());
                String key = a.chat() + "#" + a.seq();
                String message = a.user() + "/" + a.cmid();
                String previous = seqOwner.putIfAbsent(key, message);
                if (previous != null && !previous.equals(message)) {
                    problems.add("seq " + key + " names two messages: " + previous + " and " + message);
                }
            } else if (e instanceof HistoryEvent.Deliver d) {
                delivers++;
                String dev = d.user() + "/" + d.device();
                commit(committed, members, d.chat(), d.seq(), null);
                String key = dev + "@" + d.chat();
                long last = lastSeq.getOrDefault(key, 0L);
                if (d.seq() == last) {
                    problems.add("duplicate delivery of " + d.chat() + "#" + d.seq() + " on " + dev + " at t=" + d.t());
                } else if (d.seq() < last) {
                    problems.add("out of order on " + dev + ": " + d.chat() + "#" + d.seq() + " after #" + last + " at t=" + d.t());
                }
                lastSeq.put(key, Math.max(last, d.seq()));
                deliveredBy.computeIfAbsent(key, k -> new HashSet<>()).add(d.seq());
            } else if (e instanceof HistoryEvent.Receipt r) {
                String key = r.user() + "/" + r.device() + "@" + r.chat() + ":" + r.by() + ":" + r.state();
                long last = receiptMarks.getOrDefault(key, 0L);
                if (r.seq() < last) {
                    problems.add("receipt went backwards on " + key + ": " + r.seq() + " after " + last);
                }
                receiptMarks.put(key, Math.max(last, r.seq()));
            }
        }
        for (String message : failed) {
            if (appeared.contains(message)) {
                problems.add("failed message " + message + " was stored after all (acked or delivered)");
            }
        }
        if (!quiesced) {
            return;
        }
        for (Map.Entry<String, Map<Long, Owed>> chat : committed.entrySet()) {
            for (Map.Entry<Long, Owed> m : chat.getValue().entrySet()) {
                for (String user : m.getValue().users) {
                    for (String dev : devicesOf.getOrDefault(user, Set.of())) {
                        if (dev.equals(m.getValue().senderDevice) || !liveAfterQuiesce.contains(dev)) {
                            continue;
                        }
                        owed++;
                        if (!deliveredBy.getOrDefault(dev + "@" + chat.getKey(), Set.of()).contains(m.getKey())) {
                            problems.add("lost: " + chat.getKey() + "#" + m.getKey() + " never reached " + dev);
                        }
                    }
                }
            }
        }
    }

    private static void commit(Map<String, Map<Long, Owed>> committed, Map<String, Set<String>> members,
                               String chat, long seq, String senderDevice) {
        Owed owed = committed.computeIfAbsent(chat, c -> new HashMap<>()).get(seq);
        if (owed == null) {
            owed = new Owed(new HashSet<>(members.getOrDefault(chat, Set.of())));
            committed.get(chat).put(seq, owed);
        }
        if (senderDevice != null) {
            owed.senderDevice = senderDevice;
        }
    }

    private static final class Owed {
        final Set<String> users;
        String senderDevice;

        Owed(Set<String> users) {
            this.users = users;
        }
    }
}
