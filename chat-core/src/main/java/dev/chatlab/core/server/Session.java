package dev.chatlab.core.server;

import dev.chatlab.core.protocol.Frame;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A device's open session on this node: the gateway's, with what the other roles keep per session. */
final class Session {
    final long id;
    final String user;
    final String device;
    long lastHeardMicros;
    /** When the session opened, as its directory update says: the newer of two sessions of a device stays. */
    long openedMicros;
    /**
     * Nodes that have not yet confirmed they know this device is here, with when it was last
     * announced to each; null once welcomed.
     */
    TreeMap<String, Long> awaitingAcks;
    /** Pinned ownership: live nodes whose chats of this user the welcome still awaits; null once sent. */
    TreeSet<String> awaitingHomes;
    /** Pinned ownership: the chats gathered for the welcome so far, by chat. */
    TreeMap<String, Frame.ChatHead> heads;
    /** Pinned ownership: homes that were down when the welcome was gathered; null before. */
    TreeSet<String> homesDown;
    /** Pinned ownership: frames for the device held until its welcome has gone out; null after. */
    List<Frame> heldUntilWelcome;
    boolean heldOverflowed;
    /** Pinned ownership: homes back up whose chats this device must be shown again. */
    final TreeSet<String> reannounceFrom = new TreeSet<>();
    final Set<String> watching = new TreeSet<>();
    /** Pinned ownership: users this session asked to watch, while their chats' homes are asked. */
    final TreeMap<String, Presence.PresenceCheck> presenceChecks = new TreeMap<>();
    /** The user's chats as this session knows them (welcome, then notices): whose presence it may watch. */
    final TreeSet<String> chats = new TreeSet<>();
    /** Sends passed on to their chats' owners and not yet answered, by chat and cmid, oldest first. */
    final LinkedHashMap<String, UnansweredSend> unanswered = new LinkedHashMap<>();
    final Set<String> leaving = new TreeSet<>();

    Session(long id, String user, String device) {
        this.id = id;
        this.user = user;
        this.device = device;
    }

    static String answerKey(String chat, String cmid) {
        return chat + '\u0000' + cmid;
    }

    /** A send this node passed on for its device and has not yet seen answered. */
    record UnansweredSend(String chat, String cmid, long sentAtMicros) {
    }
}
