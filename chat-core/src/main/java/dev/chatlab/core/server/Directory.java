package dev.chatlab.core.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** This node's replica of where every online device is, and when each offline user was last seen. */
final class Directory {
    private final Map<String, Map<String, String>> nodeByDevice = new HashMap<>();
    private final Map<String, Long> lastSeen = new HashMap<>();

    /** Applies an update; true if the user's online state changed. */
    boolean apply(PeerMessage.DirectoryUpdate u) {
        boolean wasOnline = isOnline(u.user());
        Map<String, String> devices = nodeByDevice.computeIfAbsent(u.user(), k -> new LinkedHashMap<>());
        if (u.online()) {
            devices.put(u.device(), u.node());
        } else if (u.node().equals(devices.get(u.device()))) {
            devices.remove(u.device());
        }
        if (devices.isEmpty()) {
            nodeByDevice.remove(u.user());
            if (wasOnline) {
                lastSeen.put(u.user(), u.lastSeenMicros());
            }
        }
        return wasOnline != isOnline(u.user());
    }

    /** Forgets every device held by {@code node}; returns the users who went offline, sorted. */
    List<String> dropNode(String node, long nowMicros) {
        List<String> changes = new ArrayList<>();
        for (var it = nodeByDevice.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            e.getValue().values().removeIf(node::equals);
            if (e.getValue().isEmpty()) {
                it.remove();
                lastSeen.put(e.getKey(), nowMicros);
                changes.add(e.getKey());
            }
        }
        changes.sort(null);
        return changes;
    }

    boolean isOnline(String user) {
        return nodeByDevice.containsKey(user);
    }

    long lastSeen(String user) {
        return lastSeen.getOrDefault(user, -1L);
    }

    /** The user's online devices and the node of each, by device. */
    TreeMap<String, String> devicesOf(String user) {
        Map<String, String> devices = nodeByDevice.get(user);
        return devices == null ? new TreeMap<>() : new TreeMap<>(devices);
    }

    /**
     * Adds {@code user} once to the list of each node holding one of the user's devices but
     * {@code exceptDevice} (may be null); lists are made with room for {@code expected} users.
     */
    void addToNodesOf(String user, String exceptDevice, Map<String, List<String>> usersByNode, int expected) {
        Map<String, String> devices = nodeByDevice.get(user);
        if (devices == null) {
            return;
        }
        for (Map.Entry<String, String> d : devices.entrySet()) {
            if (!d.getKey().equals(exceptDevice)) {
                List<String> users = usersByNode.computeIfAbsent(d.getValue(), k -> new ArrayList<>(expected));
                // A user's devices are added together, so a second device on the node is the last entry.
                if (users.isEmpty() || !users.get(users.size() - 1).equals(user)) {
                    users.add(user);
                }
            }
        }
    }
}
