package dev.chatlab.core.cluster;

import java.util.List;

/**
 * The live chat nodes as membership (Hazelcast, or the simulator) reports them, with a version
 * that grows with every change. Ownership of chats and users follows from it by rendezvous
 * hashing, so every node that holds the same view agrees on every owner without talking.
 */
public record ClusterView(long version, List<String> nodes) {

    public ClusterView {
        nodes = List.copyOf(nodes.stream().sorted().toList());
    }

    public boolean contains(String node) {
        return nodes.contains(node);
    }

    /** The node that owns {@code key} (a chat id): highest rendezvous weight wins; null when no node lives. */
    public String ownerOf(String key) {
        String best = null;
        long bestWeight = Long.MIN_VALUE;
        for (String node : nodes) {
            long weight = weight(node, key);
            if (best == null || weight > bestWeight) {
                best = node;
                bestWeight = weight;
            }
        }
        return best;
    }

    /** A stable 64-bit mix of node and key (FNV-1a then a SplitMix finaliser): the same on every JVM. */
    static long weight(String node, String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < node.length(); i++) {
            h = (h ^ node.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ 0x1f) * 0x100000001b3L;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h;
    }
}
