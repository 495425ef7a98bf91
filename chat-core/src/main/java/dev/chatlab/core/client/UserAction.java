package dev.chatlab.core.client;

import dev.chatlab.core.history.HistoryEvent.MemberOp;

import java.util.List;

/** What the person holding the device does; workloads generate these. */
public sealed interface UserAction {

    record GoOnline() implements UserAction {
    }

    record GoOffline() implements UserAction {
    }

    /** Send {@code body}; {@code cmid} comes from the caller so that runs stay deterministic. */
    record SendMessage(String chat, String cmid, String body) implements UserAction {
    }

    /** Open the chat and read everything shown so far. */
    record ReadChat(String chat) implements UserAction {
    }

    record Type(String chat) implements UserAction {
    }

    record ChangeMembership(String chat, String user, MemberOp op) implements UserAction {
    }

    record WatchPresence(List<String> users) implements UserAction {
        public WatchPresence {
            users = List.copyOf(users);
        }
    }
}
