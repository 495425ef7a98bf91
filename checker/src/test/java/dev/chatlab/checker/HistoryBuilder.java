package dev.chatlab.checker;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.Ack;
import dev.chatlab.core.history.HistoryEvent.Connect;
import dev.chatlab.core.history.HistoryEvent.Deliver;
import dev.chatlab.core.history.HistoryEvent.Disconnect;
import dev.chatlab.core.history.HistoryEvent.Fail;
import dev.chatlab.core.history.HistoryEvent.Member;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.Presence;
import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.Quiesce;
import dev.chatlab.core.history.HistoryEvent.Read;
import dev.chatlab.core.history.HistoryEvent.Receipt;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Send;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes small histories for example tests, one event per call, line numbers = call order, t
 * advancing by 10 each time. Devices are written "user/device".
 *
 * <pre>{@code
 * Verdict v = new HistoryBuilder().member("c", "alice").member("c", "bob")
 *         .send("alice/phone", "c", "m1").ack("alice/phone", "c", "m1", 1)
 *         .deliver("bob/phone", "c", 1, "m1", "alice").check();
 * }</pre>
 */
final class HistoryBuilder {

    private final List<HistoryEvent> events = new ArrayList<>();
    private long t;

    HistoryBuilder member(String chat, String user) {
        return add(new Member(next(), chat, user, MemberOp.ADD));
    }

    HistoryBuilder remove(String chat, String user) {
        return add(new Member(next(), chat, user, MemberOp.REMOVE));
    }

    HistoryBuilder connect(String device) {
        return add(new Connect(next(), user(device), name(device), "n1"));
    }

    HistoryBuilder disconnect(String device) {
        return add(new Disconnect(next(), user(device), name(device), null));
    }

    HistoryBuilder send(String device, String chat, String cmid) {
        return add(new Send(next(), user(device), name(device), chat, cmid));
    }

    HistoryBuilder ack(String device, String chat, String cmid, long seq) {
        return add(new Ack(next(), user(device), name(device), chat, cmid, seq));
    }

    /** send immediately followed by its ack. */
    HistoryBuilder sent(String device, String chat, String cmid, long seq) {
        return send(device, chat, cmid).ack(device, chat, cmid, seq);
    }

    HistoryBuilder fail(String device, String chat, String cmid) {
        return add(new Fail(next(), user(device), name(device), chat, cmid));
    }

    HistoryBuilder deliver(String device, String chat, long seq, String cmid, String from) {
        return add(new Deliver(next(), user(device), name(device), chat, seq, cmid, from, null));
    }

    HistoryBuilder read(String device, String chat, long seq) {
        return add(new Read(next(), user(device), name(device), chat, seq));
    }

    HistoryBuilder receipt(String device, String chat, String by, ReceiptState state, long seq) {
        return add(new Receipt(next(), user(device), name(device), chat, by, state, seq));
    }

    HistoryBuilder presence(String device, String about, PresenceState state) {
        return add(new Presence(next(), user(device), name(device), about, state, null));
    }

    HistoryBuilder quiesce() {
        return add(new Quiesce(next()));
    }

    /** Moves time on without an event. */
    HistoryBuilder after(long micros) {
        t += micros;
        return this;
    }

    HistoryBuilder add(HistoryEvent event) {
        events.add(event);
        return this;
    }

    List<HistoryEvent> events() {
        return List.copyOf(events);
    }

    Verdict check() {
        return Checker.check(events);
    }

    private long next() {
        t += 10;
        return t;
    }

    private static String user(String device) {
        return device.substring(0, device.indexOf('/'));
    }

    private static String name(String device) {
        return device.substring(device.indexOf('/') + 1);
    }
}
