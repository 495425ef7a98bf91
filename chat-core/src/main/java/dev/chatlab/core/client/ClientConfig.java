package dev.chatlab.core.client;

import dev.chatlab.core.strategy.ReconnectPolicy;

/**
 * A device's settings.
 *
 * @param contiguousSeqs     whether the chat's seqs have no gaps by design (owner or store counter), so a
 *                           missing one is a hole to wait for; false for clock-based ids, shown as they come
 * @param reconnect          the wait before each reconnection attempt
 * @param heartbeatMicros    ping interval while connected (keeps presence alive)
 * @param ackTimeoutMicros   an unacknowledged send is retried, same cmid, after this long
 * @param holeWaitMicros     how long a hole may stay open before the device syncs the chat
 * @param syncPageMax        messages asked for per sync page
 * @param outboxMax          unacknowledged sends a device holds; beyond it new sends are refused locally
 * @param bufferMax          out-of-order messages held per chat; beyond it the buffer is dropped and the chat synced
 */
public record ClientConfig(boolean contiguousSeqs, ReconnectPolicy reconnect, long heartbeatMicros,
                           long ackTimeoutMicros, long holeWaitMicros, int syncPageMax, int outboxMax, int bufferMax) {

    public static ClientConfig defaults() {
        return new ClientConfig(true, new ReconnectPolicy.DecorrelatedBackoff(100_000, 10_000_000),
                10_000_000, 2_000_000, 200_000, 200, 1_000, 1_000);
    }

    public ClientConfig withContiguousSeqs(boolean contiguous) {
        return new ClientConfig(contiguous, reconnect, heartbeatMicros, ackTimeoutMicros, holeWaitMicros, syncPageMax, outboxMax, bufferMax);
    }

    public ClientConfig withReconnect(ReconnectPolicy policy) {
        return new ClientConfig(contiguousSeqs, policy, heartbeatMicros, ackTimeoutMicros, holeWaitMicros, syncPageMax, outboxMax, bufferMax);
    }
}
