package dev.chatlab.stores;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.chatlab.stores.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the cache adds beyond the contract ({@link ChatStoreContractTest} runs that on every store
 * with the cache in front): which reads it answers without the store, that a write it never saw
 * cannot make it answer wrongly, and that Redis killed with {@code kill -9} costs hits, never answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CachedChatStoreTest {

    private Vertx vertx;
    private RedisServer redis;

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        redis = RedisServer.start(null);
    }

    @AfterAll
    void stop() {
        redis.close();
        vertx.close();
    }

    /** An in-memory store that counts the reads it answers. */
    static final class CountingStore implements ChatStore {
        final InMemoryStore store = new InMemoryStore();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Future<StoreResult> apply(StoreOp op) {
            if (op instanceof StoreOp.ReadRange) {
                reads.incrementAndGet();
            }
            return store.apply(op);
        }

        @Override
        public Future<Void> seedChat(String chat, List<String> members) {
            return store.seedChat(chat, members);
        }

        @Override
        public void close() {
        }
    }

    private static String chat() {
        return "c-" + UUID.randomUUID();
    }

    private static StoreOp.NewMessage msg(long seq, String cmid, String body) {
        return new StoreOp.NewMessage(seq, "alice", "d1", cmid, body);
    }

    private static StoreResult.Range read(ChatStore store, String chat, long after, int limit) {
        return (StoreResult.Range) await(store.apply(new StoreOp.ReadRange(chat, after, limit)));
    }

    private static void append(ChatStore store, String chat, long... seqs) {
        List<StoreOp.NewMessage> messages = new ArrayList<>();
        for (long seq : seqs) {
            messages.add(msg(seq, "m" + seq, "body " + seq));
        }
        assertThat(await(store.apply(new StoreOp.Append(chat, 0, messages)))).isInstanceOf(StoreResult.Appended.class);
    }

    @Test
    void shouldAnswerAReadWhollyInTheWindowWithoutTheStore() {
        CountingStore counting = new CountingStore();
        try (CachedChatStore cached = CachedChatStore.wrap(vertx, counting, redis.url(), 10)) {
            String c = chat();
            for (long seq = 1; seq <= 30; seq++) {
                append(cached, c, seq);
            }
            // The last 10 are kept: (20, 30]. A sync from 20, a history page inside, a caught-up device.
            StoreResult.Range sync = read(cached, c, 20, 100);
            StoreResult.Range page = read(cached, c, 24, 3);
            StoreResult.Range caughtUp = read(cached, c, 30, 5);
            assertThat(counting.reads).hasValue(0);
            assertThat(cached.hits()).isEqualTo(3);
            assertThat(sync).isEqualTo(read(counting.store, c, 20, 100));
            assertThat(page).isEqualTo(read(counting.store, c, 24, 3));
            assertThat(page.more()).isTrue();
            assertThat(caughtUp).isEqualTo(new StoreResult.Range(c, List.of(), 30, false));
        }
    }

    @Test
    void shouldAskTheStoreForAReadThatStartsBelowTheWindow() {
        CountingStore counting = new CountingStore();
        try (CachedChatStore cached = CachedChatStore.wrap(vertx, counting, redis.url(), 10)) {
            String c = chat();
            for (long seq = 1; seq <= 30; seq++) {
                append(cached, c, seq);
            }
            StoreResult.Range partly = read(cached, c, 19, 5);
            assertThat(counting.reads).hasValue(1);
            assertThat(cached.misses()).isEqualTo(1);
            assertThat(partly.messages()).extracting(m -> m.seq()).containsExactly(20L, 21L, 22L, 23L, 24L);
            assertThat(read(cached, chat(), 0, 5).messages()).isEmpty();
            assertThat(counting.reads).hasValue(2);
        }
    }

    /**
     * A message the store took but the cache never saw (its node died between the two writes):
     * the next append leaves a gap above the window, which starts again there, so a read across the
     * unseen message goes to the store. Without the gap rule the cache answers without it.
     */
    @Test
    void shouldNotAnswerAcrossAMessageTheCacheNeverSawOnceTheNextAppendLeavesAGap() {
        CountingStore counting = new CountingStore();
        try (CachedChatStore cached = CachedChatStore.wrap(vertx, counting, redis.url(), 100)) {
            String c = chat();
            append(cached, c, 1, 2, 3);
            append(counting.store, c, 4);
            append(cached, c, 5);
            assertThat(read(cached, c, 2, 10).messages()).extracting(m -> m.seq()).containsExactly(3L, 4L, 5L);
            assertThat(read(cached, c, 4, 10).messages()).extracting(m -> m.seq()).containsExactly(5L);
            assertThat(cached.hits()).isEqualTo(1);
        }
    }

    /**
     * The same unseen message, and the chat's next owner claims it before anything else is written:
     * the claim's head from the store moves the window up, so the tail read does not end short of it.
     * Without the claim's settling the cache answers (2, ...] with 3 alone.
     */
    @Test
    void shouldStartTheWindowAgainAtTheHeadAClaimReads() {
        CountingStore counting = new CountingStore();
        try (CachedChatStore cached = CachedChatStore.wrap(vertx, counting, redis.url(), 100)) {
            String c = chat();
            append(cached, c, 1, 2, 3);
            append(counting.store, c, 4);
            StoreResult.Claimed claimed = (StoreResult.Claimed) await(cached.apply(new StoreOp.Claim(c, "n2")));
            assertThat(claimed.lastSeq()).isEqualTo(4);
            assertThat(read(cached, c, 2, 10).messages()).extracting(m -> m.seq()).containsExactly(3L, 4L);
            assertThat(read(cached, c, 4, 10)).isEqualTo(new StoreResult.Range(c, List.of(), 4, false));
            assertThat(cached.hits()).isEqualTo(1);
            await(cached.apply(new StoreOp.Append(c, claimed.epoch(), List.of(msg(5, "m5", "five")))));
            assertThat(read(cached, c, 4, 10).messages()).extracting(m -> m.body()).containsExactly("five");
            assertThat(cached.hits()).isEqualTo(2);
        }
    }

    /**
     * Owner-assigned seqs with gaps, store-assigned seqs, retries, unfenced overwrites, and writes
     * that reach the store but not the cache (each followed by the next owner's claim), in random
     * order: every read through the cache equals the store's own answer. Prints the seed of a failing case.
     */
    @Test
    void shouldAnswerEveryReadAsTheStoreDoes() {
        for (long seed = 1; seed <= 12; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            CountingStore counting = new CountingStore();
            try (CachedChatStore cached = CachedChatStore.wrap(vertx, counting, redis.url(), 1 + random.nextInt(20))) {
                String c = chat();
                long epoch = ((StoreResult.Claimed) await(cached.apply(new StoreOp.Claim(c, "n1")))).epoch();
                long head = 0;
                for (int step = 0; step < 200; step++) {
                    int what = random.nextInt(10);
                    if (what < 4) {
                        long seq = random.nextInt(8) == 0 ? head + 2 : head + 1;
                        boolean past = random.nextInt(10) == 0;
                        await((past ? counting.store : cached).apply(new StoreOp.Append(c, epoch, List.of(msg(seq, "m" + seq, "b" + seq)))));
                        head = seq;
                        if (past) {
                            epoch = ((StoreResult.Claimed) await(cached.apply(new StoreOp.Claim(c, "n" + step)))).epoch();
                        }
                    } else if (what < 5) {
                        StoreResult.Appended a = (StoreResult.Appended) await(cached.apply(new StoreOp.Append(c, epoch,
                                List.of(msg(0, "s" + step, "s" + step), msg(0, "m" + Math.max(1, head), "retry")))));
                        for (StoreResult.Outcome o : a.outcomes()) {
                            head = Math.max(head, o.seq());
                        }
                    } else if (what < 6 && head > 0) {
                        long seq = 1 + random.nextLong(head);
                        await(cached.apply(new StoreOp.Append(c, StoreOp.UNFENCED, List.of(msg(seq, "o" + step, "over" + step)))));
                    } else {
                        long after = head == 0 ? 0 : random.nextLong(head + 2);
                        int limit = 1 + random.nextInt(12);
                        assertThat(read(cached, c, after, limit)).as("seed %d step %d: read (%d, +%d)", seed, step, after, limit)
                                .isEqualTo(read(counting.store, c, after, limit));
                    }
                }
                assertThat(cached.hits()).as("seed %d", seed).isPositive();
            }
        }
    }

    /** Seqs past 2^53 (which Redis's double scores cannot hold exactly) are read from the store, never from a rounded window. */
    @Test
    void shouldLeaveSeqsPastWhatADoubleHoldsToTheStore() {
        CountingStore counting = new CountingStore();
        try (CachedChatStore cached = CachedChatStore.wrap(vertx, counting, redis.url(), 10)) {
            String c = chat();
            long big = 1L << 60;
            append(cached, c, 1, big);
            assertThat(read(cached, c, big - 5, 10).messages()).extracting(m -> m.seq()).containsExactly(big);
            assertThat(read(cached, c, 0, 10).messages()).extracting(m -> m.seq()).containsExactly(1L, big);
            assertThat(cached.hits()).isZero();
        }
    }

    /** Redis killed with kill -9 mid-run: reads and writes stay right on the store; a restarted Redis is used again. */
    @Test
    void shouldStayCorrectWhenRedisIsKilledAndComeBackWhenItRestarts() throws Exception {
        Path dir = Files.createTempDirectory("chatlab-redis-kill");
        RedisServer own = RedisServer.start(dir);
        int port = own.port();
        CountingStore counting = new CountingStore();
        try (CachedChatStore cached = CachedChatStore.wrap(vertx, counting, own.url(), 50)) {
            String c = chat();
            for (long seq = 1; seq <= 10; seq++) {
                append(cached, c, seq);
            }
            assertThat(read(cached, c, 5, 10).messages()).hasSize(5);
            assertThat(cached.hits()).isEqualTo(1);

            new ProcessBuilder("kill", "-9", String.valueOf(own.pid())).inheritIO().start().waitFor();
            ProcessHandle.of(own.pid()).ifPresent(p -> p.onExit().join());
            // Read first, before a failed write marks the chat: the read itself finds Redis gone and asks the store.
            assertThat(read(cached, c, 5, 10).messages()).extracting(m -> m.seq()).containsExactly(6L, 7L, 8L, 9L, 10L);
            assertThat(counting.reads).hasValue(1);
            for (long seq = 11; seq <= 15; seq++) {
                append(cached, c, seq);
            }
            assertThat(read(cached, c, 0, 100).messages()).extracting(m -> m.seq())
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
            assertThat(read(cached, c, 12, 2).messages()).extracting(m -> m.seq()).containsExactly(13L, 14L);
            assertThat(cached.failures()).isPositive();
            long hitsWhileDown = cached.hits();

            try (RedisServer again = RedisServer.start(dir, port)) {
                assertThat(again.url()).isEqualTo(own.url());
                // Empty after the restart: the chat is not cached until it is written again.
                assertThat(read(cached, c, 10, 10).messages()).hasSize(5);
                for (long seq = 16; seq <= 20; seq++) {
                    append(cached, c, seq);
                }
                assertThat(read(cached, c, 15, 10).messages()).extracting(m -> m.seq()).containsExactly(16L, 17L, 18L, 19L, 20L);
                assertThat(cached.hits()).isGreaterThan(hitsWhileDown);
                assertThat(read(cached, c, 0, 100)).isEqualTo(read(counting.store, c, 0, 100));
            }
        } finally {
            own.close();
        }
    }

    /** NUL, lone surrogates, emoji and 64 Ki characters come back exactly from Redis itself, not from the store. */
    @Test
    void shouldReturnEveryProtocolValidStringExactlyFromRedis() {
        CountingStore counting = new CountingStore();
        try (CachedChatStore cached = CachedChatStore.wrap(vertx, counting, redis.url(), 20)) {
            String odd = "a\u0000b\ud800c\udfffd\uD83D\uDE00e\u0001|\uE000\\%";
            String c = chat() + odd;
            List<String> bodies = List.of("a\u0000b", "\ud800", "x\udc00", odd, "\uD83C\uDF55".repeat(1 << 15), "", "\uE000s0041");
            List<StoreOp.NewMessage> messages = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) {
                messages.add(new StoreOp.NewMessage(i + 1, "u" + odd, "d" + odd, "m" + i + odd, bodies.get(i)));
            }
            await(cached.apply(new StoreOp.Append(c, 0, messages)));
            StoreResult.Range range = read(cached, c, 0, 10);
            assertThat(counting.reads).as("store reads (cache failures: %d)", cached.failures()).hasValue(0);
            assertThat(range.messages()).extracting(m -> m.body()).containsExactlyElementsOf(bodies);
            assertThat(range.messages()).allSatisfy(m -> {
                assertThat(m.chat()).isEqualTo(c);
                assertThat(m.sender()).isEqualTo("u" + odd);
                assertThat(m.senderDevice()).isEqualTo("d" + odd);
            });
            assertThat(range).isEqualTo(read(counting.store, c, 0, 10));
            // A chat id that differs only in a lone surrogate is another key.
            assertThat(read(cached, c.replace('\ud800', '\ud801'), 0, 10).messages()).isEmpty();
        }
    }
}
