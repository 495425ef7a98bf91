package dev.chatlab.core.server;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Via;
import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.MemberState;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.store.StoredMessage;
import dev.chatlab.core.strategy.Sequencing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The state of a chat this node owns; dropped when ownership moves or the node restarts. */
final class OwnedChat {

    /**
     * Cmids an owner remembers per chat of the messages it stored, so that a resend of one is
     * answered without a write: an overloaded cluster, whose acks take longer than the client's
     * timeout, otherwise stores every message about three times and gives each attempt a seq.
     */
    static final int RECENT_CMIDS_PER_CHAT = 128;
    /**
     * Senders an owner remembers per chat of the messages it stored, newest first: a watermark's
     * rise is news only to whoever sent a message it covers, so its receipt goes to them alone.
     */
    static final int RECENT_SENDERS_PER_CHAT = 256;

    private final ChatOwner owner;
    private final NodeContext ctx;
    private final Presence presence;
    final String id;
    private boolean loaded;
    private long epoch;
    private long lastSeq;
    /** The head when this node claimed the chat: a resent cmid above it was stored, and announced, by this node. */
    private long claimedHead;
    private final ChatMembers members;
    private final Map<String, Long> delivered = new HashMap<>();
    private final Map<String, Long> read = new HashMap<>();
    private final ArrayDeque<PeerMessage> queue = new ArrayDeque<>();
    private boolean writing;
    private PendingRemoval removal;
    /** The head at the previous catch-up check: members below it have had a full period to confirm. */
    private long dueSeq;
    /**
     * Each device's own delivered watermark, by {@link ChatOwner#deviceKey}: a user's watermark is its best
     * device's, and says nothing of a device that missed a push. Kept in memory only.
     */
    private final Map<String, Long> deviceDelivered = new HashMap<>();
    /** Nudges sent to a device since its watermark last rose: each one waits twice as long as the last. */
    private final Map<String, Integer> nudges = new HashMap<>();
    /** Seqs of the messages this node stored lately, by sender and cmid (the newest {@link #RECENT_CMIDS_PER_CHAT}). */
    private final Map<String, Long> recentlyStored = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > RECENT_CMIDS_PER_CHAT;
        }
    };
    /**
     * Sends queued or being written, by sender and cmid, with the resends of each that came
     * meanwhile: a resend waits for its original's answer instead of taking a seq of its own.
     */
    private final Map<String, List<PeerMessage.Submit>> resendsWaiting = new HashMap<>();
    /** Who sent each message this node stored lately, by seq (the newest {@link #RECENT_SENDERS_PER_CHAT}). */
    private final TreeMap<Long, String> recentSenders = new TreeMap<>();
    /** {@link #recentSenders} names the sender of every message above this seq. */
    private long sendersKnownAbove;

    OwnedChat(String id, ChatOwner owner, NodeContext ctx, Presence presence) {
        this.id = id;
        this.members = new ChatMembers(id);
        this.owner = owner;
        this.ctx = ctx;
        this.presence = presence;
    }

    private long writeEpoch() {
        return ctx.config.fencing() ? epoch : StoreOp.UNFENCED;
    }

    void claim(boolean create) {
        ctx.storeThen(new StoreOp.Claim(id, ctx.nodeId, create), result -> {
            if (!owner.holds(this)) {
                return;
            }
            if (result instanceof StoreResult.NoSuchChat) {
                noSuchChat();
                return;
            }
            StoreResult.Claimed claimed = (StoreResult.Claimed) result;
            epoch = claimed.epoch();
            lastSeq = claimed.lastSeq();
            claimedHead = lastSeq;
            sendersKnownAbove = lastSeq;
            members.load(claimed.members());
            delivered.putAll(claimed.delivered());
            read.putAll(claimed.read());
            loaded = true;
            // The predecessor may have stored messages it never fanned out (it died, or its pushes
            // were cut off): the first check of the catch-up nudges whoever is behind.
            owner.awaitConfirmation(this);
            finishInheritedChanges();
            drain();
        });
    }

    /**
     * The chat does not exist: this node keeps nothing of it. Only an {@code add} may create it;
     * every other request gets the answer a non-member gets.
     */
    private void noSuchChat() {
        owner.forget(id);
        List<PeerMessage> requests = new ArrayList<>(queue);
        queue.clear();
        for (PeerMessage request : requests) {
            if (ChatOwner.createsChat(request)) {
                owner.request(request);
            } else {
                owner.refuseNonMember(request);
            }
        }
    }

    /** A predecessor may have died between writing a membership change and recording it. */
    private void finishInheritedChanges() {
        for (Map.Entry<String, MemberState> e : members.snapshot()) {
            if (e.getValue() == MemberState.ADDING) {
                queue.addFirst(new PeerMessage.MembershipRequest(id, e.getKey(), e.getKey(), MemberOp.ADD, null, null, 0));
            } else if (e.getValue() == MemberState.REMOVING) {
                queue.addFirst(new PeerMessage.MembershipRequest(id, e.getKey(), e.getKey(), MemberOp.REMOVE, null, null, 0));
            }
        }
    }

    void accept(PeerMessage request) {
        if (request instanceof PeerMessage.SyncRequest sync && loaded) {
            serveSync(sync);
            return;
        }
        if (request instanceof PeerMessage.WatermarkReport mark && loaded) {
            raiseWatermark(mark);
            return;
        }
        if (request instanceof PeerMessage.TypingReport typing && loaded) {
            if (members.isMember(typing.user())) {
                fanOutExcept(typing.user(), typing.device(), new Frame.TypingNotice(id, typing.user()));
            } else {
                owner.refuseNonMember(typing);
            }
            return;
        }
        if (request instanceof PeerMessage.Submit submit && loaded && joinedAnEarlierSend(submit)) {
            return;
        }
        if (queue.size() >= ctx.config.chatQueueMax()) {
            owner.refuse(request, ErrorCode.UNAVAILABLE, "chat " + id + " is overloaded; retry");
            return;
        }
        if (request instanceof PeerMessage.Submit submit) {
            resendsWaiting.putIfAbsent(ChatOwner.sendKey(submit), new ArrayList<>());
        }
        queue.add(request);
        drain();
    }

    /**
     * A resend of a message this node stored lately gets the original's ack at once; one of a
     * message still queued or being written gets its answer with it. Either way no seq is spent.
     */
    private boolean joinedAnEarlierSend(PeerMessage.Submit submit) {
        String key = ChatOwner.sendKey(submit);
        Long seq = recentlyStored.get(key);
        if (seq != null) {
            ctx.deviceFrame(submit.node(), submit.user(), submit.device(), new Frame.Ack(id, submit.cmid(), seq));
            return true;
        }
        List<PeerMessage.Submit> waiting = resendsWaiting.get(key);
        if (waiting != null) {
            waiting.add(submit);
            return true;
        }
        return false;
    }

    /** Gives a send and the resends that waited for it the same answer. */
    private void answer(PeerMessage.Submit submit, Frame frame) {
        ctx.deviceFrame(submit.node(), submit.user(), submit.device(), frame);
        List<PeerMessage.Submit> waiting = resendsWaiting.remove(ChatOwner.sendKey(submit));
        if (waiting != null) {
            for (PeerMessage.Submit resend : waiting) {
                ctx.deviceFrame(resend.node(), resend.user(), resend.device(), frame);
            }
        }
    }

    /** Starts the next write when none is in flight: a batch of messages, or one membership change. */
    private void drain() {
        while (loaded && !writing && removal == null && !queue.isEmpty()) {
            PeerMessage head = queue.peek();
            if (head instanceof PeerMessage.MembershipRequest change) {
                queue.poll();
                changeMembership(change);
            } else if (head instanceof PeerMessage.Submit) {
                appendBatch();
            } else {
                queue.poll();
                accept(head);
            }
        }
    }

    private void appendBatch() {
        List<PeerMessage.Submit> batch = new ArrayList<>();
        List<StoreOp.NewMessage> messages = new ArrayList<>();
        long next = lastSeq;
        while (!queue.isEmpty() && queue.peek() instanceof PeerMessage.Submit submit
                && batch.size() < ctx.config.appendBatchMax()) {
            queue.poll();
            if (!members.isMember(submit.user())) {
                answer(submit, new Frame.Fail(id, submit.cmid(), ErrorCode.NOT_A_MEMBER,
                        submit.user() + " is not a member of " + id));
                continue;
            }
            long seq;
            if (ctx.config.sequencing() == Sequencing.OWNER_COUNTER) {
                seq = ++next;
            } else if (ctx.config.sequencing() == Sequencing.SNOWFLAKE) {
                seq = owner.nextSnowflake();
            } else {
                seq = 0;
            }
            batch.add(submit);
            messages.add(new StoreOp.NewMessage(seq, submit.user(), submit.device(), submit.cmid(), submit.body()));
        }
        if (batch.isEmpty()) {
            return;
        }
        writing = true;
        ctx.storeThen(new StoreOp.Append(id, writeEpoch(), messages), result -> {
            if (!owner.holds(this)) {
                failAll(batch, "the chat moved while the message was being stored; retry");
                return;
            }
            writing = false;
            if (result instanceof StoreResult.Fenced) {
                failAll(batch, "a newer owner holds the chat; retry");
                owner.disown(this, "fenced by a newer owner");
                return;
            }
            StoreResult.Appended appended = (StoreResult.Appended) result;
            for (int i = 0; i < batch.size(); i++) {
                PeerMessage.Submit submit = batch.get(i);
                StoreResult.Outcome outcome = appended.outcomes().get(i);
                answer(submit, new Frame.Ack(id, submit.cmid(), outcome.seq()));
                recentlyStored.put(ChatOwner.sendKey(submit), outcome.seq());
                if (!outcome.duplicate()) {
                    // The sender has its own message (the ack): if it was up to date, it still is, and
                    // the catch-up need not nudge it for it.
                    String sender = ChatOwner.deviceKey(submit.user(), submit.device());
                    if (deviceDelivered.getOrDefault(sender, 0L) >= lastSeq) {
                        deviceDelivered.merge(sender, outcome.seq(), Math::max);
                    }
                    lastSeq = Math.max(lastSeq, outcome.seq());
                    rememberSender(outcome.seq(), submit.user());
                    announce(submit.user(), submit.device(), submit.cmid(), submit.body(), outcome.seq());
                } else if (outcome.seq() <= claimedHead) {
                    announceStored(submit, outcome.seq());
                }
            }
            drain();
        }, failed -> {
            if (!owner.holds(this)) {
                failAll(batch, "the chat moved while the message was being stored; retry");
                return;
            }
            // The store refused every attempt: nothing was stored. A definite answer, then the chat
            // is claimed afresh by the next request (its head may be other than this node believed).
            for (PeerMessage.Submit submit : batch) {
                answer(submit, new Frame.Fail(id, submit.cmid(), ErrorCode.UNAVAILABLE,
                        "the store failed to store the message (" + failed.reason() + "); nothing was stored"));
            }
            writing = false;
            owner.disown(this, "the store failed (" + failed.reason() + ")");
        });
    }

    private void failAll(List<PeerMessage.Submit> batch, String why) {
        // UNAVAILABLE, not a definite failure: the message may have been stored, so the device retries the cmid.
        for (PeerMessage.Submit submit : batch) {
            answer(submit, new Frame.Error(ErrorCode.UNAVAILABLE, why, submit.chat(), submit.cmid()));
        }
    }

    /**
     * A resend of a message an earlier owner stored: that owner may have died before announcing
     * it, so it is announced again, as stored (a resend's body is never shown).
     */
    private void announceStored(PeerMessage.Submit resend, long seq) {
        ctx.storeThen(new StoreOp.ReadRange(id, seq - 1, 1), result -> {
            if (!owner.holds(this) || !(result instanceof StoreResult.Range range)) {
                return;
            }
            for (StoredMessage m : range.messages()) {
                if (m.seq() == seq) {
                    announce(m.sender(), resend.device(), m.cmid(), m.body(), seq);
                }
            }
        });
    }

    /** Tells members' online devices about a stored message, and offline members' push sink. */
    private void announce(String sender, String senderDevice, String cmid, String body, long seq) {
        owner.awaitConfirmation(this);
        boolean push = ctx.config.fanOut().pushes(members.count());
        Frame frame = push
                ? new Frame.Deliver(id, seq, cmid, sender, body, Via.PUSH)
                : new Frame.Notify(id, seq);
        List<String> online = new ArrayList<>(members.count());
        for (Map.Entry<String, MemberState> e : members.all()) {
            if (!e.getValue().settled()) {
                continue;
            }
            String user = e.getKey();
            if (presence.isOnline(user)) {
                online.add(user);
            } else if (!user.equals(sender)) {
                ctx.emit(new ServerEffect.Push(user, id, seq, sender));
            }
        }
        presence.toUsersDevices(online, sender, senderDevice, frame);
    }

    private void serveSync(PeerMessage.SyncRequest sync) {
        if (!members.isMember(sync.user())) {
            ctx.deviceFrame(sync.node(), sync.user(), sync.device(), ChatOwner.notAMember(sync.user(), id));
            return;
        }
        ctx.storeThen(new StoreOp.ReadRange(id, sync.afterSeq(), sync.limit()), result -> {
            // Membership may have changed while the store read; re-check so a removed user gets nothing new.
            if (!owner.holds(this) || !members.isMember(sync.user())) {
                ctx.deviceFrame(sync.node(), sync.user(), sync.device(), new Frame.SyncDone(id, sync.afterSeq(), true));
                return;
            }
            StoreResult.Range range = (StoreResult.Range) result;
            for (StoredMessage m : range.messages()) {
                ctx.deviceFrame(sync.node(), sync.user(), sync.device(),
                        new Frame.Deliver(id, m.seq(), m.cmid(), m.sender(), m.body(), Via.SYNC));
            }
            ctx.deviceFrame(sync.node(), sync.user(), sync.device(), new Frame.SyncDone(id, range.upToSeq(), range.more()));
        }, failed -> owner.refuse(sync, ErrorCode.UNAVAILABLE, failed.reason()));
    }

    private void raiseWatermark(PeerMessage.WatermarkReport mark) {
        if (!members.isMember(mark.user())) {
            owner.refuseNonMember(mark);
            return;
        }
        if (mark.seq() > lastSeq) {
            // Refused, not clamped: a device reports what it was shown, and nothing beyond the head was.
            ctx.deviceFrame(mark.node(), mark.user(), mark.device(), new Frame.Error(ErrorCode.BAD_FIELD,
                    "field 'seq' of '" + (mark.state() == ReceiptState.READ ? "read" : "delivered") + "': " + mark.seq()
                            + " is beyond the newest message of " + id + " (" + lastSeq + ")", id, null));
            return;
        }
        if (mark.state() == ReceiptState.DELIVERED) {
            deviceDelivered.merge(ChatOwner.deviceKey(mark.user(), mark.device()), mark.seq(), Math::max);
        }
        Map<String, Long> marks = mark.state() == ReceiptState.READ ? read : delivered;
        long old = marks.getOrDefault(mark.user(), 0L);
        if (mark.seq() <= old) {
            return;
        }
        marks.put(mark.user(), mark.seq());
        // Persist before telling anyone, so a new owner never announces a lower watermark.
        ctx.storeThen(new StoreOp.RaiseWatermark(id, mark.user(), mark.state(), mark.seq()), result -> {
            if (owner.holds(this) && ctx.config.fanOut().pushes(members.count())) {
                Frame receipt = new Frame.Receipt(id, mark.user(), mark.state(), mark.seq());
                Set<String> senders = sendersBetween(old, mark.seq());
                if (senders == null) {
                    fanOutExcept(mark.user(), null, receipt);
                } else {
                    List<String> online = new ArrayList<>(senders.size());
                    for (String sender : senders) {
                        if (!sender.equals(mark.user()) && members.isMember(sender) && presence.isOnline(sender)) {
                            online.add(sender);
                        }
                    }
                    presence.toUsersDevices(online, null, null, receipt);
                }
            }
        });
    }

    private void rememberSender(long seq, String sender) {
        recentSenders.put(seq, sender);
        if (recentSenders.size() > RECENT_SENDERS_PER_CHAT) {
            sendersKnownAbove = Math.max(sendersKnownAbove, recentSenders.pollFirstEntry().getKey());
        }
    }

    /** The senders of the messages in ({@code from}, {@code to}], or null when this node does not know them all. */
    private Set<String> sendersBetween(long from, long to) {
        if (from < sendersKnownAbove) {
            return null;
        }
        return new TreeSet<>(recentSenders.subMap(from, false, to, true).values());
    }

    private void changeMembership(PeerMessage.MembershipRequest change) {
        String refusal = change.actorNode() == null ? null : members.refusalOf(change, exists());
        if (refusal != null) {
            owner.refuse(change, ErrorCode.FORBIDDEN, refusal);
            return;
        }
        MemberState current = members.stateOf(change.user());
        if (change.op() == MemberOp.ADD) {
            if (current != null && current.settled()) {
                return;
            }
            writing = true;
            Runnable done = () -> {
                writing = false;
                drain();
            };
            if (change.actorNode() != null && !exists() && !change.actor().equals(change.user())) {
                addMember(change.actor(), MemberState.FIXED, () -> addMember(change.user(), MemberState.FIXED, done));
            } else {
                addMember(change.user(), members.settledStateOfNew(change, lastSeq > 0), done);
            }
        } else {
            if (current == null) {
                return;
            }
            writing = true;
            members.set(change.user(), MemberState.REMOVING);
            writeMember(change.user(), MemberState.REMOVING, () -> {
                writing = false;
                removal = new PendingRemoval(change.user(), new TreeSet<>(ctx.view.nodes()));
                for (String node : ctx.view.nodes()) {
                    ctx.route(node, new PeerMessage.RemovalNotice(id, change.user(), ctx.nodeId));
                }
            });
        }
    }

    /** Written as ADDING first, so that a new owner finishes an addition this one did not live to record. */
    private void addMember(String user, MemberState settled, Runnable then) {
        members.set(user, MemberState.ADDING);
        writeMember(user, MemberState.ADDING, () -> {
            members.set(user, settled);
            ctx.record(new HistoryEvent.Member(ctx.now, id, user, MemberOp.ADD));
            writeMember(user, settled, null);
            presence.toUserDevices(user, null, new Frame.Membership(id, user, MemberOp.ADD));
            then.run();
        });
    }

    /** A chat exists once it has a member or a message; the first {@code add} creates it. */
    private boolean exists() {
        return !members.isEmpty() || lastSeq > 0;
    }

    private void writeMember(String user, MemberState state, Runnable then) {
        ctx.storeThen(new StoreOp.SetMember(id, writeEpoch(), user, state), result -> {
            if (!owner.holds(this)) {
                return;
            }
            if (result instanceof StoreResult.Fenced) {
                owner.disown(this, "fenced by a newer owner");
                return;
            }
            if (then != null) {
                then.run();
            }
        });
    }

    void removalNoticed(PeerMessage.RemovalNoticed noticed) {
        if (removal != null && removal.noticed(noticed)) {
            tryFinishRemoval();
        }
    }

    void removalConfirmed(PeerMessage.RemovalConfirmed confirmed) {
        if (removal != null && removal.confirmed(confirmed)) {
            tryFinishRemoval();
        }
    }

    void nodeGone(String node) {
        if (removal != null && removal.nodeSilent(node)) {
            tryFinishRemoval();
        }
        if (removal != null) {
            removal.devicesGone(node);
            tryFinishRemoval();
        }
    }

    void tryFinishRemoval() {
        if (removal == null || !removal.heardFromAll() || !loaded) {
            return;
        }
        String user = removal.user();
        removal = null;
        members.remove(user);
        delivered.remove(user);
        read.remove(user);
        ctx.record(new HistoryEvent.Member(ctx.now, id, user, MemberOp.REMOVE));
        writing = true;
        writeMember(user, null, () -> {
            writing = false;
            drain();
        });
    }

    /**
     * Sends an ephemeral frame (typing, receipt) to members' online devices, except
     * {@code skipDevice} of {@code skipUser}, or every device of {@code skipUser} when
     * {@code skipDevice} is null.
     */
    private void fanOutExcept(String skipUser, String skipDevice, Frame frame) {
        List<String> online = new ArrayList<>(members.count());
        for (Map.Entry<String, MemberState> e : members.all()) {
            String user = e.getKey();
            if (!e.getValue().settled() || (user.equals(skipUser) && skipDevice == null)) {
                continue;
            }
            if (presence.isOnline(user)) {
                online.add(user);
            }
        }
        presence.toUsersDevices(online, skipUser, skipDevice, frame);
    }

    boolean isLoaded() {
        return loaded;
    }

    /**
     * One period of the catch-up (see {@link ChatOwner#nudgeLaggingMembers}) for this chat: an
     * online device of a member still below a head fanned out a full period ago gets a notify,
     * less often while its watermark does not move. True once every online device has the head.
     */
    boolean nudgeLaggingDevices() {
        boolean settled = true;
        for (Map.Entry<String, MemberState> e : members.all()) {
            if (!e.getValue().settled()) {
                continue;
            }
            String user = e.getKey();
            for (Map.Entry<String, String> device : presence.devicesOf(user).entrySet()) {
                String key = ChatOwner.deviceKey(user, device.getKey());
                long mark = deviceDelivered.getOrDefault(key, 0L);
                if (mark >= lastSeq) {
                    nudges.remove(key);
                    continue;
                }
                settled = false;
                if (mark >= dueSeq) {
                    continue;
                }
                int sent = nudges.getOrDefault(key, 0);
                nudges.put(key, sent + 1);
                if (Integer.bitCount(sent + 1) == 1) {
                    ctx.deviceFrame(device.getValue(), user, device.getKey(), new Frame.Notify(id, lastSeq));
                }
            }
        }
        dueSeq = lastSeq;
        return settled;
    }

    /** Moves the requests still queued in {@code stale}, the state this one replaces, here. */
    void takeQueued(OwnedChat stale) {
        queue.addAll(stale.queue);
        stale.queue.clear();
    }

    /** The chat is let go: what waited for it is answered {@code unavailable}, to be retried. */
    void refuseQueued(String why) {
        for (PeerMessage request : queue) {
            owner.refuse(request, ErrorCode.UNAVAILABLE, why + "; retry");
        }
        queue.clear();
    }
}
