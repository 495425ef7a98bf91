package dev.chatlab.core.server;

import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.store.MemberState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The membership role: a chat's members and their states as its owner holds them, and who may
 * change them. The first {@code add} creates the chat; then only a group's admin adds or removes
 * others, any member of a group may leave it, and a 1:1 chat never changes. Members being added
 * or removed ({@link MemberState#ADDING}, {@link MemberState#REMOVING}) are held but not settled:
 * they neither see the chat's messages nor act in it.
 */
final class ChatMembers {

    private final String chat;
    private final TreeMap<String, MemberState> states = new TreeMap<>();

    ChatMembers(String chat) {
        this.chat = chat;
    }

    /** What the store held when the chat was claimed. */
    void load(Map<String, MemberState> stored) {
        states.putAll(stored);
    }

    MemberState stateOf(String user) {
        return states.get(user);
    }

    void set(String user, MemberState state) {
        states.put(user, state);
    }

    void remove(String user) {
        states.remove(user);
    }

    boolean isEmpty() {
        return states.isEmpty();
    }

    /** Every member with its state, settled or not, by user. */
    Iterable<Map.Entry<String, MemberState>> all() {
        return states.entrySet();
    }

    /** As {@link #all()}, in a copy the caller may iterate while it changes members. */
    List<Map.Entry<String, MemberState>> snapshot() {
        return new ArrayList<>(states.entrySet());
    }

    boolean isMember(String user) {
        MemberState state = states.get(user);
        return state != null && state.settled();
    }

    int count() {
        int n = 0;
        for (MemberState state : states.values()) {
            if (state.settled()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Why a device's membership request is refused, or null if it is allowed. {@code exists}: the
     * chat has a member or a message; only an {@code add} may create it.
     */
    String refusalOf(PeerMessage.MembershipRequest change, boolean exists) {
        boolean self = change.actor().equals(change.user());
        if (!exists) {
            return change.op() == MemberOp.ADD ? null : change.actor() + " is not a member of " + chat;
        }
        MemberState actor = states.get(change.actor());
        if (actor == null || !actor.settled()) {
            return change.actor() + " is not a member of " + chat;
        }
        if (states.containsValue(MemberState.FIXED)) {
            return chat + " is a 1:1 chat: its two members are fixed";
        }
        if (self && change.op() == MemberOp.REMOVE || actor == MemberState.ADMIN) {
            return null;
        }
        return "only an admin of " + chat + " adds or removes others";
    }

    /**
     * The role of a user added now: the creator of a group is its admin; a member added later, a
     * member. An addition inherited from a dead owner is read the same way from what the store
     * holds: no settled member yet means a creation (two at once, a 1:1 chat's).
     * {@code hasMessages}: the chat already holds a message, so its creator is gone by.
     */
    MemberState settledStateOfNew(PeerMessage.MembershipRequest change, boolean hasMessages) {
        if (states.containsValue(MemberState.FIXED)) {
            return MemberState.FIXED;
        }
        int adding = 0;
        for (MemberState state : states.values()) {
            if (state.settled()) {
                return MemberState.MEMBER;
            }
            adding += state == MemberState.ADDING ? 1 : 0;
        }
        if (change.actorNode() != null) {
            return hasMessages ? MemberState.MEMBER : MemberState.ADMIN;
        }
        return adding >= 2 ? MemberState.FIXED : MemberState.ADMIN;
    }
}
