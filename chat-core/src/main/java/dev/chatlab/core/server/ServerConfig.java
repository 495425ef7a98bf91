package dev.chatlab.core.server;

import dev.chatlab.core.strategy.FanOut;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.core.strategy.Routing;
import dev.chatlab.core.strategy.Sequencing;

/**
 * A chat node's settings: its strategies and its limits.
 *
 * @param presenceTtlMicros a session that sends nothing for this long is closed and its user goes offline
 * @param appendBatchMax    messages of one chat persisted in one store write
 * @param chatQueueMax      requests one chat may hold while it loads or writes; beyond it they are refused (UNAVAILABLE)
 * @param syncLimitMax      the largest sync page served
 * @param hopsMax           forwards a request may take while owners move, before it is refused
 * @param fencing           whether an owner's writes carry its claim's epoch so the store refuses a stale owner;
 *                          false is the what-if "failover without fencing": the store then lets the last writer win
 * @param ownership         which node serves a chat: the live one rendezvous hashing picks (shared store), or the
 *                          chat's fixed home (node-local store; the chat is unavailable while its home is down)
 */
public record ServerConfig(Sequencing sequencing, FanOut fanOut, Routing routing, long presenceTtlMicros,
                           int appendBatchMax, int chatQueueMax, int syncLimitMax, int hopsMax, boolean fencing,
                           Ownership ownership) {

    public static ServerConfig defaults() {
        return new ServerConfig(Sequencing.OWNER_COUNTER, FanOut.hybrid(256), Routing.DIRECT,
                30_000_000L, 64, 10_000, 500, 4, true, Ownership.followMembership());
    }

    public ServerConfig withSequencing(Sequencing s) {
        return new ServerConfig(s, fanOut, routing, presenceTtlMicros, appendBatchMax, chatQueueMax, syncLimitMax, hopsMax, fencing, ownership);
    }

    public ServerConfig withFanOut(FanOut f) {
        return new ServerConfig(sequencing, f, routing, presenceTtlMicros, appendBatchMax, chatQueueMax, syncLimitMax, hopsMax, fencing, ownership);
    }

    public ServerConfig withRouting(Routing r) {
        return new ServerConfig(sequencing, fanOut, r, presenceTtlMicros, appendBatchMax, chatQueueMax, syncLimitMax, hopsMax, fencing, ownership);
    }

    public ServerConfig withPresenceTtlMicros(long ttl) {
        return new ServerConfig(sequencing, fanOut, routing, ttl, appendBatchMax, chatQueueMax, syncLimitMax, hopsMax, fencing, ownership);
    }

    public ServerConfig withFencing(boolean on) {
        return new ServerConfig(sequencing, fanOut, routing, presenceTtlMicros, appendBatchMax, chatQueueMax, syncLimitMax, hopsMax, on, ownership);
    }

    public ServerConfig withOwnership(Ownership o) {
        return new ServerConfig(sequencing, fanOut, routing, presenceTtlMicros, appendBatchMax, chatQueueMax, syncLimitMax, hopsMax, fencing, o);
    }
}
