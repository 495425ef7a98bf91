package dev.chatlab.stores;

import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.store.MemberState;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.chatlab.stores.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One suite, every store: the real adapters must answer exactly as chat-core's in-memory store
 * does. Each case runs on the in-memory store, PostgreSQL, sharded PostgreSQL (two servers),
 * RocksDB and Cassandra (a node started for the class, 10-15 s; see {@link CassandraTests} to
 * name a running one or leave it out), and again on each with the Redis recent-message cache in
 * front ({@link CachedChatStore}, one redis-server for the class), where every read the window
 * holds is answered from Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatStoreContractTest {

    private Vertx vertx;
    private EmbeddedPostgresServer postgres;
    private EmbeddedPostgresServer secondShard;
    private PostgresChatStore pgStore;
    private ShardedPostgresChatStore shardedStore;
    private RocksDbChatStore rocksStore;
    private java.nio.file.Path rocksDir;
    private CassandraServer cassandra;
    private CassandraChatStore cassandraStore;
    private RedisServer redis;
    private final List<Named<ChatStore>> cached = new java.util.ArrayList<>();

    @BeforeAll
    void startStores() throws Exception {
        vertx = Vertx.vertx();
        postgres = EmbeddedPostgresServer.start(null, 0);
        pgStore = PostgresChatStore.connect(vertx, postgres.url(), 4);
        await(pgStore.createSchema());
        // Two shards: the first is the plain store's server in a database of its own, the second a
        // server of its own, so that the shards share nothing but the process of the first.
        io.vertx.sqlclient.Pool admin = io.vertx.pgclient.PgBuilder.pool()
                .connectingTo(io.vertx.pgclient.PgConnectOptions.fromUri(postgres.url())).using(vertx).build();
        await(admin.query("CREATE DATABASE shard1").execute());
        await(admin.close());
        secondShard = EmbeddedPostgresServer.start(null, 0);
        shardedStore = ShardedPostgresChatStore.connect(vertx,
                List.of(postgres.url().replaceAll("/postgres$", "/shard1"), secondShard.url()), 4, 1);
        await(shardedStore.createSchema());
        rocksDir = java.nio.file.Files.createTempDirectory("chatlab-rocks");
        rocksStore = RocksDbChatStore.open(vertx, rocksDir);
        redis = RedisServer.start(null);
        cached.add(Named.of("memory+redis", CachedChatStore.wrap(vertx, new InMemoryStore(), redis.url(), 200)));
        cached.add(Named.of("postgres+redis", CachedChatStore.wrap(vertx, pgStore, redis.url(), 200)));
        cached.add(Named.of("postgres-sharded+redis", CachedChatStore.wrap(vertx, shardedStore, redis.url(), 200)));
        cached.add(Named.of("rocksdb+redis", CachedChatStore.wrap(vertx, rocksStore, redis.url(), 200)));
        if (!CassandraTests.enabled()) {
            return;
        }
        String cassandraAddress = CassandraTests.address();
        if (cassandraAddress == null) {
            cassandra = CassandraServer.start(java.nio.file.Files.createTempDirectory("chatlab-cassandra"), 0);
            cassandraAddress = cassandra.address();
        }
        cassandraStore = CassandraChatStore.connect(vertx, cassandraAddress);
        await(cassandraStore.createSchema());
        cached.add(Named.of("cassandra+redis", CachedChatStore.wrap(vertx, cassandraStore, redis.url(), 200)));
    }

    @AfterAll
    void stopStores() {
        // A cached store closes the store behind it too.
        cached.forEach(store -> store.getPayload().close());
        redis.close();
        if (cassandra != null) {
            cassandra.close();
        }
        postgres.close();
        secondShard.close();
        vertx.close();
    }

    Stream<Named<ChatStore>> stores() {
        Stream<Named<ChatStore>> always = Stream.of(Named.of("memory", new InMemoryStore()), Named.of("postgres", pgStore),
                Named.of("postgres-sharded", shardedStore), Named.of("rocksdb", rocksStore));
        Stream<Named<ChatStore>> plain = cassandraStore == null ? always : Stream.concat(always, Stream.of(Named.of("cassandra", cassandraStore)));
        return Stream.concat(plain, cached.stream());
    }

    /** A fresh chat name per case, so cases share the real stores without seeing each other. */
    private static String chat() {
        return "c-" + UUID.randomUUID();
    }

    private static StoreResult apply(ChatStore store, StoreOp op) {
        return await(store.apply(op));
    }

    private static StoreOp.NewMessage msg(long seq, String sender, String cmid) {
        return new StoreOp.NewMessage(seq, sender, "d1", cmid, "body " + cmid);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldBumpTheEpochOnEveryClaimAndReturnTheChatState(ChatStore store) {
        String c = chat();
        await(store.seedChat(c, List.of("alice", "bob")));
        StoreResult.Claimed first = (StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n1"));
        StoreResult.Claimed second = (StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n2"));
        assertThat(first.epoch()).isEqualTo(1);
        assertThat(second.epoch()).isEqualTo(2);
        assertThat(second.members()).isEqualTo(Map.of("alice", MemberState.ADMIN, "bob", MemberState.MEMBER));
        assertThat(second.lastSeq()).isZero();
    }

    /** A chat exists once it has a member or a message; a claim that may not create leaves a made-up one missing. */
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldClaimAMissingChatOnlyWhenAllowedToCreateIt(ChatStore store) {
        String c = chat();
        assertThat(apply(store, new StoreOp.Claim(c, "n1", false))).isEqualTo(new StoreResult.NoSuchChat(c));
        assertThat(apply(store, new StoreOp.Claim(c, "n1", false))).isEqualTo(new StoreResult.NoSuchChat(c));
        StoreResult.Claimed created = (StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n1", true));
        assertThat(created.epoch()).isEqualTo(1);
        assertThat(created.members()).isEmpty();
        apply(store, new StoreOp.SetMember(c, created.epoch(), "alice", MemberState.ADMIN));
        StoreResult.Claimed again = (StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n2", false));
        assertThat(again.epoch()).isEqualTo(2);
        assertThat(again.members()).isEqualTo(Map.of("alice", MemberState.ADMIN));
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldFenceAnAppendFromAnOlderEpoch(ChatStore store) {
        String c = chat();
        long old = ((StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n1"))).epoch();
        apply(store, new StoreOp.Claim(c, "n2"));
        StoreResult r = apply(store, new StoreOp.Append(c, old, List.of(msg(1, "alice", "m1"))));
        assertThat(r).isEqualTo(new StoreResult.Fenced(c, old + 1));
        StoreResult.Range range = (StoreResult.Range) apply(store, new StoreOp.ReadRange(c, 0, 10));
        assertThat(range.messages()).isEmpty();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldStoreAMessageOnceForARetriedCmid(ChatStore store) {
        String c = chat();
        long epoch = ((StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n1"))).epoch();
        StoreResult first = apply(store, new StoreOp.Append(c, epoch, List.of(msg(1, "alice", "m1"), msg(2, "bob", "m1"))));
        StoreResult retry = apply(store, new StoreOp.Append(c, epoch, List.of(msg(3, "alice", "m1"), msg(3, "alice", "m2"))));
        assertThat(first).isEqualTo(new StoreResult.Appended(c, List.of(
                new StoreResult.Outcome(1, false), new StoreResult.Outcome(2, false))));
        assertThat(retry).isEqualTo(new StoreResult.Appended(c, List.of(
                new StoreResult.Outcome(1, true), new StoreResult.Outcome(3, false))));
        StoreResult.Claimed claimed = (StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n2"));
        assertThat(claimed.lastSeq()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldAssignTheNextSeqWhenAskedForSeqZero(ChatStore store) {
        String c = chat();
        StoreResult r = apply(store, new StoreOp.Append(c, 0, List.of(msg(0, "a", "x"), msg(0, "a", "y"), msg(0, "a", "x"))));
        assertThat(r).isEqualTo(new StoreResult.Appended(c, List.of(new StoreResult.Outcome(1, false),
                new StoreResult.Outcome(2, false), new StoreResult.Outcome(1, true))));
    }

    /** Store-assigned seqs follow the head whoever wrote before, and a range gives them back in seq order. */
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldKeepAppendsInOrderAcrossOwnerAndStoreAssignedSeqs(ChatStore store) {
        String c = chat();
        long epoch = ((StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n1"))).epoch();
        apply(store, new StoreOp.Append(c, epoch, List.of(msg(1, "a", "1"), msg(2, "b", "2"))));
        apply(store, new StoreOp.Append(c, epoch, List.of(msg(0, "a", "3"))));
        apply(store, new StoreOp.Append(c, epoch, List.of(msg(4, "c", "4"), msg(0, "b", "5"))));
        for (int i = 6; i <= 12; i++) {
            apply(store, new StoreOp.Append(c, epoch, List.of(msg(0, i % 2 == 0 ? "a" : "b", String.valueOf(i)))));
        }
        StoreResult.Range all = (StoreResult.Range) apply(store, new StoreOp.ReadRange(c, 0, 100));
        assertThat(all.messages()).extracting(m -> m.seq() + ":" + m.cmid()).containsExactly(
                "1:1", "2:2", "3:3", "4:4", "5:5", "6:6", "7:7", "8:8", "9:9", "10:10", "11:11", "12:12");
        assertThat(all.upToSeq()).isEqualTo(12);
        assertThat(((StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n2"))).lastSeq()).isEqualTo(12);
    }

    /** A retry in an append of its own, with the store assigning seqs, gets the first attempt's seq and stores nothing. */
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldGiveARetriedSendTheSeqOfItsFirstAttempt(ChatStore store) {
        String c = chat();
        apply(store, new StoreOp.Append(c, 0, List.of(msg(0, "alice", "m1"))));
        apply(store, new StoreOp.Append(c, 0, List.of(msg(0, "bob", "m1"))));
        StoreResult retry = apply(store, new StoreOp.Append(c, 0, List.of(msg(0, "alice", "m1"))));
        StoreResult again = apply(store, new StoreOp.Append(c, 0, List.of(msg(0, "bob", "m1"))));
        assertThat(retry).isEqualTo(new StoreResult.Appended(c, List.of(new StoreResult.Outcome(1, true))));
        assertThat(again).isEqualTo(new StoreResult.Appended(c, List.of(new StoreResult.Outcome(2, true))));
        assertThat(((StoreResult.Range) apply(store, new StoreOp.ReadRange(c, 0, 10))).messages()).hasSize(2);
    }

    /** Walking a chat page by page from a cursor gives every message once, in order, and ends with more=false. */
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldWalkAChatPageByPageFromACursor(ChatStore store) {
        String c = chat();
        List<StoreOp.NewMessage> messages = new java.util.ArrayList<>();
        for (int i = 1; i <= 23; i++) {
            // Gaps, as an owner that failed over leaves them: seqs 1..23 without every fifth.
            if (i % 5 != 0) {
                messages.add(msg(i, "a", "m" + i));
            }
        }
        apply(store, new StoreOp.Append(c, 0, messages));
        List<Long> seen = new java.util.ArrayList<>();
        long cursor = 0;
        int pages = 0;
        while (true) {
            StoreResult.Range page = (StoreResult.Range) apply(store, new StoreOp.ReadRange(c, cursor, 4));
            pages++;
            page.messages().forEach(m -> seen.add(m.seq()));
            assertThat(page.upToSeq()).isGreaterThanOrEqualTo(cursor);
            cursor = page.upToSeq();
            if (!page.more()) {
                break;
            }
            assertThat(page.messages()).hasSize(4);
        }
        assertThat(seen).containsExactlyElementsOf(messages.stream().map(StoreOp.NewMessage::seq).toList());
        assertThat(cursor).isEqualTo(23);
        assertThat(pages).isEqualTo(5);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldRefuseToReuseATakenSeq(ChatStore store) {
        String c = chat();
        apply(store, new StoreOp.Append(c, 0, List.of(msg(5, "a", "x"))));
        Future<StoreResult> clash = store.apply(new StoreOp.Append(c, 0, List.of(msg(5, "b", "y"))));
        assertThat(clash.toCompletionStage().toCompletableFuture()).failsWithin(10, TimeUnit.SECONDS);
        StoreResult.Range range = (StoreResult.Range) apply(store, new StoreOp.ReadRange(c, 0, 10));
        assertThat(range.messages()).extracting(m -> m.cmid()).containsExactly("x");
    }

    /** Many appends in flight at once (PostgreSQL commits them in groups): each answered as if alone. */
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldAnswerEachOfManyAppendsInFlightAsIfItRanAlone(ChatStore store) {
        String fenced = chat();
        long oldEpoch = ((StoreResult.Claimed) apply(store, new StoreOp.Claim(fenced, "n1"))).epoch();
        apply(store, new StoreOp.Claim(fenced, "n2"));
        String clash = chat();
        apply(store, new StoreOp.Append(clash, 0, List.of(msg(1, "a", "x"))));
        String retried = chat();
        apply(store, new StoreOp.Append(retried, 0, List.of(msg(1, "a", "r1"))));
        List<String> chats = Stream.generate(ChatStoreContractTest::chat).limit(100).toList();

        List<Future<StoreResult>> plain = new java.util.ArrayList<>();
        Future<StoreResult> fencedAppend = null;
        Future<StoreResult> clashing = null;
        Future<StoreResult> retry = null;
        for (int i = 0; i < chats.size(); i++) {
            plain.add(store.apply(new StoreOp.Append(chats.get(i), 0, List.of(msg(1, "a", "m1"), msg(0, "b", "m1")))));
            if (i == 40) {
                fencedAppend = store.apply(new StoreOp.Append(fenced, oldEpoch, List.of(msg(1, "a", "f1"))));
                clashing = store.apply(new StoreOp.Append(clash, 0, List.of(msg(1, "b", "y"))));
                retry = store.apply(new StoreOp.Append(retried, 0, List.of(msg(2, "a", "r1"), msg(2, "a", "r2"))));
            }
        }

        for (Future<StoreResult> f : plain) {
            assertThat(await(f)).isInstanceOfSatisfying(StoreResult.Appended.class, a -> assertThat(a.outcomes())
                    .containsExactly(new StoreResult.Outcome(1, false), new StoreResult.Outcome(2, false)));
        }
        assertThat(await(fencedAppend)).isEqualTo(new StoreResult.Fenced(fenced, oldEpoch + 1));
        assertThat(clashing.toCompletionStage().toCompletableFuture()).failsWithin(10, TimeUnit.SECONDS);
        assertThat(await(retry)).isEqualTo(new StoreResult.Appended(retried, List.of(
                new StoreResult.Outcome(1, true), new StoreResult.Outcome(2, false))));
        for (String c : chats) {
            StoreResult.Range range = (StoreResult.Range) apply(store, new StoreOp.ReadRange(c, 0, 10));
            assertThat(range.messages()).extracting(m -> m.sender() + ":" + m.seq()).containsExactly("a:1", "b:2");
            assertThat(range.upToSeq()).isEqualTo(2);
        }
        assertThat(((StoreResult.Range) apply(store, new StoreOp.ReadRange(clash, 0, 10))).messages())
                .extracting(m -> m.cmid()).containsExactly("x");
        assertThat(((StoreResult.Range) apply(store, new StoreOp.ReadRange(fenced, 0, 10))).messages()).isEmpty();
        assertThat(((StoreResult.Range) apply(store, new StoreOp.ReadRange(retried, 0, 10))).messages())
                .extracting(m -> m.cmid()).containsExactly("r1", "r2");
    }

    /**
     * More requests at once than a driver's connection takes (Cassandra's: 1,024), as seeding a
     * workload's chats sends them: every one is answered, none refused for want of a connection.
     */
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldAnswerThousandsOfRequestsSentAtOnce(ChatStore store) {
        String user = "u-" + UUID.randomUUID();
        List<String> chats = Stream.generate(ChatStoreContractTest::chat).limit(1_500).toList();
        List<Future<Void>> seeds = chats.stream().map(c -> store.seedChat(c, List.of(user))).toList();
        seeds.forEach(Futures::await);
        StoreResult.Chats listed = (StoreResult.Chats) apply(store, new StoreOp.ChatsOf(user));
        assertThat(listed.heads()).hasSize(chats.size());
    }

    /** A retry in flight with its first attempt (PostgreSQL: in the same group) gets the first attempt's seq. */
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldAnswerARetryQueuedWithItsFirstAttemptWithTheFirstSeq(ChatStore store) {
        String c = chat();
        long epoch = ((StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n1"))).epoch();
        String fencedChat = chat();
        long oldEpoch = ((StoreResult.Claimed) apply(store, new StoreOp.Claim(fencedChat, "n1"))).epoch();
        apply(store, new StoreOp.Claim(fencedChat, "n2"));
        // Enough appends ahead to keep every writer busy, so the ones below queue and go together.
        List<Future<StoreResult>> ahead = Stream.generate(ChatStoreContractTest::chat).limit(50)
                .map(other -> store.apply(new StoreOp.Append(other, 0, List.of(msg(0, "a", "m")))))
                .toList();
        Future<StoreResult> stale = store.apply(new StoreOp.Append(fencedChat, oldEpoch, List.of(msg(0, "a", "x"))));
        Future<StoreResult> first = store.apply(new StoreOp.Append(c, epoch, List.of(msg(0, "a", "x"))));
        Future<StoreResult> retry = store.apply(new StoreOp.Append(c, epoch, List.of(msg(0, "a", "x"), msg(0, "a", "y"))));
        Future<StoreResult> afterFenced = store.apply(new StoreOp.Append(fencedChat, oldEpoch + 1,
                List.of(msg(0, "a", "x"), msg(0, "a", "x"))));
        ahead.forEach(Futures::await);
        assertThat(await(stale)).isEqualTo(new StoreResult.Fenced(fencedChat, oldEpoch + 1));
        assertThat(await(first)).isEqualTo(new StoreResult.Appended(c, List.of(new StoreResult.Outcome(1, false))));
        assertThat(await(retry)).isEqualTo(new StoreResult.Appended(c, List.of(
                new StoreResult.Outcome(1, true), new StoreResult.Outcome(2, false))));
        assertThat(await(afterFenced)).isEqualTo(new StoreResult.Appended(fencedChat, List.of(
                new StoreResult.Outcome(1, false), new StoreResult.Outcome(1, true))));
        assertThat(((StoreResult.Range) apply(store, new StoreOp.ReadRange(c, 0, 10))).messages())
                .extracting(m -> m.cmid() + ":" + m.seq()).containsExactly("x:1", "y:2");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldPageARangeAndSayWhetherMoreFollows(ChatStore store) {
        String c = chat();
        apply(store, new StoreOp.Append(c, 0, List.of(msg(1, "a", "1"), msg(2, "a", "2"), msg(4, "a", "4"))));
        StoreResult.Range page = (StoreResult.Range) apply(store, new StoreOp.ReadRange(c, 0, 2));
        assertThat(page.messages()).extracting(m -> m.seq()).containsExactly(1L, 2L);
        assertThat(page.upToSeq()).isEqualTo(2);
        assertThat(page.more()).isTrue();
        StoreResult.Range rest = (StoreResult.Range) apply(store, new StoreOp.ReadRange(c, 2, 2));
        assertThat(rest.messages()).extracting(m -> m.seq()).containsExactly(4L);
        assertThat(rest.messages().get(0).body()).isEqualTo("body 4");
        assertThat(rest.upToSeq()).isEqualTo(4);
        assertThat(rest.more()).isFalse();
        StoreResult.Range empty = (StoreResult.Range) apply(store, new StoreOp.ReadRange(c, 9, 2));
        assertThat(empty).isEqualTo(new StoreResult.Range(c, List.of(), 9, false));
        StoreResult.Range unknown = (StoreResult.Range) apply(store, new StoreOp.ReadRange(chat(), 0, 5));
        assertThat(unknown.messages()).isEmpty();
        assertThat(unknown.upToSeq()).isZero();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldFenceMembershipWritesAndListTheUsersChats(ChatStore store) {
        String c = chat();
        String user = "u-" + UUID.randomUUID();
        long epoch = ((StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n1"))).epoch();
        assertThat(apply(store, new StoreOp.SetMember(c, epoch, user, MemberState.ADDING))).isEqualTo(new StoreResult.Done(c));
        apply(store, new StoreOp.Append(c, epoch, List.of(msg(1, "a", "1"))));
        assertThat(apply(store, new StoreOp.ChatsOf(user)))
                .isEqualTo(new StoreResult.Chats(user, List.of(new StoreResult.ChatHead(c, 1))));
        apply(store, new StoreOp.Claim(c, "n2"));
        assertThat(apply(store, new StoreOp.SetMember(c, epoch, user, null))).isEqualTo(new StoreResult.Fenced(c, epoch + 1));
        apply(store, new StoreOp.SetMember(c, epoch + 1, user, null));
        assertThat(apply(store, new StoreOp.ChatsOf(user))).isEqualTo(new StoreResult.Chats(user, List.of()));
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldOnlyEverRaiseAWatermark(ChatStore store) {
        String c = chat();
        apply(store, new StoreOp.RaiseWatermark(c, "bob", ReceiptState.DELIVERED, 5));
        apply(store, new StoreOp.RaiseWatermark(c, "bob", ReceiptState.DELIVERED, 3));
        apply(store, new StoreOp.RaiseWatermark(c, "bob", ReceiptState.READ, 2));
        StoreResult.Claimed claimed = (StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n1"));
        assertThat(claimed.delivered()).isEqualTo(Map.of("bob", 5L));
        assertThat(claimed.read()).isEqualTo(Map.of("bob", 2L));
    }

    /**
     * Receipts raise watermarks by the thousand (PostgreSQL writes them in groups, one row per key
     * and group): each raise in flight at once is answered, the same key raised several times in
     * one group keeps the greatest, a lower raise after a higher one changes nothing.
     */
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldKeepTheGreatestOfManyWatermarkRaisesInFlightAtOnce(ChatStore store) {
        List<String> chats = Stream.generate(ChatStoreContractTest::chat).limit(50).toList();
        List<Future<StoreResult>> raised = new java.util.ArrayList<>();
        for (int seq = 1; seq <= 20; seq++) {
            for (String c : chats) {
                // Out of order on purpose: within a chat, bob's raises go 1, 20, 2, 19, ... and carol's read only rises.
                long bob = seq % 2 == 1 ? (seq + 1) / 2 : 21 - seq / 2;
                raised.add(store.apply(new StoreOp.RaiseWatermark(c, "bob", ReceiptState.DELIVERED, bob)));
                raised.add(store.apply(new StoreOp.RaiseWatermark(c, "carol", ReceiptState.READ, seq)));
            }
        }
        for (Future<StoreResult> f : raised) {
            assertThat(await(f)).isInstanceOf(StoreResult.Done.class);
        }
        for (String c : chats) {
            StoreResult.Claimed claimed = (StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n1"));
            assertThat(claimed.delivered()).as(c).isEqualTo(Map.of("bob", 20L));
            assertThat(claimed.read()).as(c).isEqualTo(Map.of("carol", 20L));
        }
    }

    /** PostgreSQL: a group raising the same watermark several times is one statement, not a failure and a retry one by one. */
    @org.junit.jupiter.api.Test
    void shouldRaiseAGroupOfWatermarksWithRepeatedKeysInOneStatement() {
        String c = chat();
        io.vertx.sqlclient.Pool pool = io.vertx.pgclient.PgBuilder.pool()
                .connectingTo(io.vertx.pgclient.PgConnectOptions.fromUri(postgres.url())).using(vertx).build();
        try {
            PostgresWatermarks marks = new PostgresWatermarks(vertx, pool, 1, 0);
            List<StoreResult> done = await(marks.raiseAll(List.of(
                    new StoreOp.RaiseWatermark(c, "bob", ReceiptState.DELIVERED, 4),
                    new StoreOp.RaiseWatermark(c, "bob", ReceiptState.DELIVERED, 9),
                    new StoreOp.RaiseWatermark(c, "bob", ReceiptState.READ, 3),
                    new StoreOp.RaiseWatermark(c, "bob", ReceiptState.DELIVERED, 7))));
            assertThat(done).hasSize(4).allMatch(r -> r.equals(new StoreResult.Done(c)));
        } finally {
            await(pool.close());
        }
        StoreResult.Claimed claimed = (StoreResult.Claimed) apply(pgStore, new StoreOp.Claim(c, "n1"));
        assertThat(claimed.delivered()).isEqualTo(Map.of("bob", 9L));
        assertThat(claimed.read()).isEqualTo(Map.of("bob", 3L));
    }

    /**
     * Every string the protocol allows is stored and returned exactly, in a body and in every id:
     * NUL (which PostgreSQL's text refuses), lone surrogates (which UTF-8 cannot encode), emoji,
     * the separator a key-value store might use, and a body of 64 Ki characters.
     */
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void shouldStoreAndReturnEveryProtocolValidStringExactly(ChatStore store) {
        String odd = "a\u0000b\ud800c\udfffd\uD83D\uDE00e\u0001|\uE000\\%";
        String c = chat() + odd;
        String user = "u-" + UUID.randomUUID() + odd;
        String big = "\uD83C\uDF55".repeat(1 << 15);
        List<String> bodies = List.of("a\u0000b", "\ud800", "x\udc00", odd, big, "");
        await(store.seedChat(c, List.of(user)));
        StoreResult.Claimed claimed = (StoreResult.Claimed) apply(store, new StoreOp.Claim(c, "n1", false));
        assertThat(claimed.members()).containsOnlyKeys(user);
        List<StoreOp.NewMessage> messages = new java.util.ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            messages.add(new StoreOp.NewMessage(i + 1, user, "d" + odd, "m" + i + odd, bodies.get(i)));
        }
        apply(store, new StoreOp.Append(c, claimed.epoch(), messages));
        StoreResult.Range range = (StoreResult.Range) apply(store, new StoreOp.ReadRange(c, 0, 10));
        assertThat(range.messages()).extracting(m -> m.body()).containsExactlyElementsOf(bodies);
        assertThat(range.messages()).allSatisfy(m -> {
            assertThat(m.chat()).isEqualTo(c);
            assertThat(m.sender()).isEqualTo(user);
            assertThat(m.senderDevice()).isEqualTo("d" + odd);
        });
        assertThat(range.messages().get(3).cmid()).isEqualTo("m3" + odd);
        StoreResult retry = apply(store, new StoreOp.Append(c, claimed.epoch(), List.of(messages.get(0))));
        assertThat(retry).isEqualTo(new StoreResult.Appended(c, List.of(new StoreResult.Outcome(1, true))));
        assertThat(apply(store, new StoreOp.ChatsOf(user)))
                .isEqualTo(new StoreResult.Chats(user, List.of(new StoreResult.ChatHead(c, bodies.size()))));
        // Ids that differ only where an encoding might lose or merge characters stay apart.
        assertThat(((StoreResult.Range) apply(store, new StoreOp.ReadRange(chat() + "a\ud800", 0, 10))).messages()).isEmpty();
        assertThat(apply(store, new StoreOp.Claim(c.substring(0, c.indexOf('\u0000')), "n1", false)))
                .isInstanceOf(StoreResult.NoSuchChat.class);
    }
}
