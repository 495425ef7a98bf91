package dev.chatlab.stores;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.chatlab.stores.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durability where the store is a process of its own: every append acknowledged before a
 * {@code kill -9} of the server (and of every process under it) is there after a restart on the
 * same data folder, with its seq, and the store the node holds serves again without being reopened.
 * PostgreSQL runs with {@link Durability#PROCESS_CRASH}: with the benchmarks' {@link Durability#MEMORY}
 * the last acknowledged commits are lost. Cassandra likewise with {@link Durability#PROCESS_CRASH}
 * (its commit log synced before a write is acknowledged): with its default periodic sync the
 * writes since the last sync are lost.
 */
class StoreProcessKillTest {

    private static final int CHATS = 40;
    private static final int MESSAGES_PER_CHAT = 5;

    @TempDir
    Path dir;

    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() {
        vertx.close();
    }

    @Test
    void shouldKeepEveryAcknowledgedAppendOfPostgresAcrossKill9AndRestart() {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("pg"), 0, Durability.PROCESS_CRASH);
        int port = server.port();
        try (SharedStore store = SharedStores.connect(vertx, server.url(), 4)) {
            await(store.createSchema());
            List<String> chats = appendToEveryChat(store);

            server = killAndRestart(server, dir.resolve("pg"), port);

            assertEveryMessageIsBack(store, chats);
        } finally {
            server.close();
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedAppendOfAShardedPostgresWhenOneShardIsKilled() {
        EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dir.resolve("pg-1"), 0, Durability.PROCESS_CRASH);
        EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dir.resolve("pg-2"), 0, Durability.PROCESS_CRASH);
        int secondPort = second.port();
        try (SharedStore store = SharedStores.connect(vertx, SharedStores.shardedAddress(List.of(first.url(), second.url())), 4)) {
            await(store.createSchema());
            List<String> chats = appendToEveryChat(store);
            assertThat(chats.stream().filter(c -> ShardedPostgresChatStore.shardOf(c, 2) == 1).count())
                    .as("chats on the shard that is killed").isBetween(10L, 30L);

            second = killAndRestart(second, dir.resolve("pg-2"), secondPort);

            assertEveryMessageIsBack(store, chats);
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedAppendOfCassandraAcrossKill9AndRestart() {
        Assumptions.assumeTrue(CassandraTests.enabled(), "-D" + CassandraTests.PROPERTY + "=off");
        CassandraServer server = CassandraServer.start(dir.resolve("cassandra"), 0, Durability.PROCESS_CRASH);
        int port = server.nativePort();
        try (SharedStore store = SharedStores.connect(vertx, server.address(), 4)) {
            await(store.createSchema());
            List<String> chats = appendToEveryChat(store);

            ProcessHandle node = ProcessHandle.of(server.pid()).orElseThrow();
            node.destroyForcibly();
            node.onExit().join();
            server = CassandraServer.start(dir.resolve("cassandra"), port, Durability.PROCESS_CRASH);

            assertEveryMessageIsBack(store, chats);
        } finally {
            server.close();
        }
    }

    /** {@link #CHATS} chats, each with {@link #MESSAGES_PER_CHAT} appends, all acknowledged; the chat ids. */
    private static List<String> appendToEveryChat(ChatStore store) {
        List<String> chats = new ArrayList<>();
        List<Future<StoreResult>> acks = new ArrayList<>();
        for (int c = 0; c < CHATS; c++) {
            chats.add("chat-" + c);
        }
        for (int m = 1; m <= MESSAGES_PER_CHAT; m++) {
            for (String chat : chats) {
                acks.add(store.apply(new StoreOp.Append(chat, 0, List.of(
                        new StoreOp.NewMessage(m, "alice", "d1", "m" + m, "body " + m)))));
            }
            acks.forEach(Futures::await);
        }
        return chats;
    }

    private static void assertEveryMessageIsBack(ChatStore store, List<String> chats) {
        for (String chat : chats) {
            StoreResult.Range range = (StoreResult.Range) retried(() -> store.apply(new StoreOp.ReadRange(chat, 0, 100)));
            assertThat(range.messages()).as(chat).extracting(m -> m.seq() + ":" + m.body())
                    .containsExactly("1:body 1", "2:body 2", "3:body 3", "4:body 4", "5:body 5");
        }
        // A retry of an acknowledged send still finds its first seq after the restart.
        assertThat(retried(() -> store.apply(new StoreOp.Append(chats.get(0), 0, List.of(
                new StoreOp.NewMessage(0, "alice", "d1", "m3", "body 3"))))))
                .isEqualTo(new StoreResult.Appended(chats.get(0), List.of(new StoreResult.Outcome(3, true))));
    }

    /**
     * SIGKILL to the postmaster and every process under it at once, as an out-of-memory killer or a
     * container's end would; then a server on the same folder and port.
     */
    private static EmbeddedPostgresServer killAndRestart(EmbeddedPostgresServer server, Path dataDir, int port) {
        ProcessHandle postmaster = ProcessHandle.of(server.pid()).orElseThrow();
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.add(postmaster);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().join();
        }
        try {
            // Releases the folder's lock that the old server's handle holds; the server is gone already.
            server.close();
        } catch (RuntimeException alreadyDead) {
            // pg_ctl finds no server to stop: expected.
        }
        return EmbeddedPostgresServer.start(dataDir, port, Durability.PROCESS_CRASH);
    }

    /**
     * The node retries a store operation that failed on a dead connection; the first uses after a
     * restart may (a pool's old connections, a driver that has not reconnected yet): up to 30 s.
     */
    private static StoreResult retried(Supplier<Future<StoreResult>> op) {
        AssertionError last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                return await(op.get());
            } catch (AssertionError e) {
                last = e;
                try {
                    Thread.sleep(300);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }
}
