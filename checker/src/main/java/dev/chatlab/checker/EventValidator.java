package dev.chatlab.checker;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.Ack;
import dev.chatlab.core.history.HistoryEvent.Connect;
import dev.chatlab.core.history.HistoryEvent.Deliver;
import dev.chatlab.core.history.HistoryEvent.Disconnect;
import dev.chatlab.core.history.HistoryEvent.Fail;
import dev.chatlab.core.history.HistoryEvent.Member;
import dev.chatlab.core.history.HistoryEvent.Presence;
import dev.chatlab.core.history.HistoryEvent.Quiesce;
import dev.chatlab.core.history.HistoryEvent.Read;
import dev.chatlab.core.history.HistoryEvent.Receipt;
import dev.chatlab.core.history.HistoryEvent.Send;
import dev.chatlab.core.history.HistoryEvent.Typing;
import dev.chatlab.core.history.HistoryEvent.Unknown;

/**
 * Validates events handed to the checker online (records built in code, not parsed from a file),
 * with the same rules and words as the file reader: ids non-empty, seq positive, enumerated fields
 * present, {@code t} non-negative and never going backwards. Returns the reason, or null.
 */
final class EventValidator {

    private long lastT = -1;

    String check(HistoryEvent event) {
        if (event == null) {
            return "expected an event, got null";
        }
        String reason = fields(event);
        if (reason != null) {
            return reason;
        }
        if (event.t() < 0) {
            return "field 't' is ill-typed: expected a non-negative integer";
        }
        if (event.t() < lastT) {
            return "t goes backwards: " + event.t() + " after " + lastT + " (events must be ordered by t)";
        }
        lastT = event.t();
        return null;
    }

    private static String fields(HistoryEvent event) {
        if (event instanceof Deliver e) {
            return first(id("user", e.user()), id("device", e.device()), id("chat", e.chat()), seq(e.seq()),
                    id("cmid", e.cmid()), id("from", e.from()));
        } else if (event instanceof Send e) {
            return first(id("user", e.user()), id("device", e.device()), id("chat", e.chat()), id("cmid", e.cmid()));
        } else if (event instanceof Ack e) {
            return first(id("user", e.user()), id("device", e.device()), id("chat", e.chat()), id("cmid", e.cmid()),
                    seq(e.seq()));
        } else if (event instanceof Fail e) {
            return first(id("user", e.user()), id("device", e.device()), id("chat", e.chat()), id("cmid", e.cmid()));
        } else if (event instanceof Read e) {
            return first(id("user", e.user()), id("device", e.device()), id("chat", e.chat()), seq(e.seq()));
        } else if (event instanceof Receipt e) {
            return first(id("user", e.user()), id("device", e.device()), id("chat", e.chat()), id("by", e.by()),
                    e.state() == null ? "field 'state' is missing: expected one of 'delivered', 'read'" : null, seq(e.seq()));
        } else if (event instanceof Member e) {
            return first(id("chat", e.chat()), id("user", e.user()),
                    e.op() == null ? "field 'op' is missing: expected one of 'add', 'remove'" : null);
        } else if (event instanceof Connect e) {
            return first(id("user", e.user()), id("device", e.device()), id("node", e.node()));
        } else if (event instanceof Disconnect e) {
            return first(id("user", e.user()), id("device", e.device()));
        } else if (event instanceof Presence e) {
            return first(id("user", e.user()), id("device", e.device()), id("about", e.about()),
                    e.state() == null ? "field 'state' is missing: expected one of 'online', 'offline'" : null,
                    e.lastSeen() != null && e.lastSeen() < 0
                            ? "field 'last_seen' is ill-typed: expected a non-negative integer" : null);
        } else if (event instanceof Typing e) {
            return first(id("user", e.user()), id("device", e.device()), id("chat", e.chat()), id("from", e.from()));
        } else if (event instanceof Quiesce) {
            return null;
        } else if (event instanceof Unknown e) {
            return e.type() == null ? "field 'type' is missing: expected a string" : null;
        }
        return null;
    }

    private static String id(String name, String value) {
        if (value == null) {
            return "field '" + name + "' is missing: expected a non-empty string";
        }
        return value.isEmpty() ? "field '" + name + "' is ill-typed: expected a non-empty string" : null;
    }

    private static String seq(long value) {
        return value < 1 ? "field 'seq' is ill-typed: expected a positive 64-bit integer" : null;
    }

    private static String first(String... reasons) {
        for (String reason : reasons) {
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }
}
