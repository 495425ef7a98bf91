package dev.chatlab.stores;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A chat's shard is a pure function of its id and the shard count, the same in every process and release. */
class ShardPlacementTest {

    @Test
    void shouldPlaceAChatWhereEveryEarlierReleasePlacedIt() {
        // Recorded values: a change of the hash would strand every chat already stored on its old shard.
        assertThat(IntStream.range(0, 8).map(i -> ShardedPostgresChatStore.shardOf("k" + i, 2)).toArray())
                .containsExactly(RECORDED_TWO_SHARDS);
        assertThat(ShardedPostgresChatStore.shardOf("c-\u0000\ud800", 3)).isEqualTo(RECORDED_ODD_ID_THREE_SHARDS);
    }

    /**
     * Ids made only of characters with an even code still reach both of two shards: FNV-1a alone
     * sends an id by the parity of its count of odd bytes, so all of these would go to one shard.
     */
    @Test
    void shouldSpreadIdsWhoseCharactersAllShareOneParity() {
        int[] counts = new int[2];
        for (char a = '0'; a <= 'z'; a += 2) {
            for (char b = '0'; b <= 'z'; b += 2) {
                counts[ShardedPostgresChatStore.shardOf("" + a + b, 2)]++;
            }
        }
        int total = counts[0] + counts[1];
        assertThat(counts[0]).as("of %d ids on shard 0", total).isBetween(total * 4 / 10, total * 6 / 10);
    }

    @Test
    void shouldSpreadGeneratedIdsEvenly() {
        for (int shards : new int[] {2, 3, 4}) {
            int[] counts = new int[shards];
            for (int i = 0; i < 30_000; i++) {
                counts[ShardedPostgresChatStore.shardOf("chat-" + i, shards)]++;
            }
            for (int count : counts) {
                assertThat(count).as("chats on one of %d shards", shards).isBetween(30_000 / shards * 95 / 100, 30_000 / shards * 105 / 100);
            }
        }
    }

    private static final int[] RECORDED_TWO_SHARDS = {1, 1, 0, 1, 0, 1, 0, 1};
    private static final int RECORDED_ODD_ID_THREE_SHARDS = 1;
}
