package dev.chatlab.core.strategy;

import dev.chatlab.core.cluster.ClusterView;

import java.util.List;

/**
 * Which node serves a chat as its owner (sequences, stores, fans out).
 *
 * <pre>{@code
 * ServerConfig shared = ServerConfig.defaults();                                   // follows membership
 * ServerConfig pinned = ServerConfig.defaults().withOwnership(Ownership.pinnedHome(List.of("n1", "n2", "n3")));
 * String owner = pinned.ownership().ownerOf("c7", liveView);                      // null while c7's home is down
 * }</pre>
 */
public sealed interface Ownership {

    /** The node that serves {@code chat} as owner in {@code view}, or null when no live node may. */
    String ownerOf(String chat, ClusterView view);

    /** Whether a chat's data lives only at its home node (so no other node can serve it). */
    boolean pinned();

    /**
     * Rendezvous hashing over the live nodes: a chat moves to another node when its owner dies, and
     * the new owner claims it from the shared store (bumping the epoch that fences the old one).
     */
    static Ownership followMembership() {
        return FollowMembership.INSTANCE;
    }

    /** Rendezvous hashing over every configured node, live or not: see {@link PinnedHome}. */
    static Ownership pinnedHome(List<String> homes) {
        return new PinnedHome(homes);
    }

    /** The default: ownership follows the live cluster view. */
    enum FollowMembership implements Ownership {
        INSTANCE;

        @Override
        public String ownerOf(String chat, ClusterView view) {
            return view.ownerOf(chat);
        }

        @Override
        public boolean pinned() {
            return false;
        }
    }

    /**
     * "Chats pinned to a home node": a chat's home is chosen once, by rendezvous hashing over the
     * configured node list, and never moves, because its messages live on the home's own disk (a
     * node-local store). While the home is not a live member, nothing can serve the chat: its sends
     * are refused and its syncs wait. When the home restarts it reads its chats back from its disk.
     *
     * @param homes every node that may be a home, live or not (n1..nN)
     */
    record PinnedHome(List<String> homes) implements Ownership {
        public PinnedHome {
            homes = List.copyOf(homes);
            if (homes.isEmpty()) {
                throw new IllegalArgumentException("pinned ownership needs at least one home node");
            }
        }

        /** The chat's home, whether it is up or not. */
        public String homeOf(String chat) {
            return new ClusterView(0, homes).ownerOf(chat);
        }

        @Override
        public String ownerOf(String chat, ClusterView view) {
            String home = homeOf(chat);
            return view.contains(home) ? home : null;
        }

        @Override
        public boolean pinned() {
            return true;
        }
    }
}
