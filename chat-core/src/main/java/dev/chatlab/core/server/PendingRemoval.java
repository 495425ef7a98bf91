package dev.chatlab.core.server;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A member's removal that waits to be recorded: every live node must say how many devices of the
 * user it told, and each of those devices must confirm it stopped showing the chat, so that no
 * message reaches a removed member. A node that dies is heard from no more, and its devices show
 * nothing more.
 */
final class PendingRemoval {

    private final String user;
    private final TreeSet<String> nodesToHear;
    private final Map<String, Integer> devicesByNode = new HashMap<>();
    private int devicesToConfirm;

    PendingRemoval(String user, TreeSet<String> nodesToHear) {
        this.user = user;
        this.nodesToHear = nodesToHear;
    }

    String user() {
        return user;
    }

    /** A node told its devices of the user; true if it was one still to hear from. */
    boolean noticed(PeerMessage.RemovalNoticed noticed) {
        if (!user.equals(noticed.user()) || !nodesToHear.remove(noticed.node())) {
            return false;
        }
        devicesToConfirm += noticed.devices();
        devicesByNode.merge(noticed.node(), noticed.devices(), Integer::sum);
        return true;
    }

    /** A device confirmed; true if its node had one still to confirm. */
    boolean confirmed(PeerMessage.RemovalConfirmed confirmed) {
        if (!user.equals(confirmed.user()) || devicesByNode.getOrDefault(confirmed.node(), 0) <= 0) {
            return false;
        }
        devicesToConfirm--;
        devicesByNode.merge(confirmed.node(), -1, Integer::sum);
        return true;
    }

    /** A node left the view before it said how many devices it told; true if it was still to hear from. */
    boolean nodeSilent(String node) {
        return nodesToHear.remove(node);
    }

    /** Devices on a dead node show nothing more; their confirmations will never come. */
    void devicesGone(String node) {
        devicesToConfirm -= devicesByNode.getOrDefault(node, 0);
        devicesByNode.remove(node);
    }

    boolean heardFromAll() {
        return nodesToHear.isEmpty() && devicesToConfirm <= 0;
    }
}
