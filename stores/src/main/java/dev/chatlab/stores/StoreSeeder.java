package dev.chatlab.stores;

import dev.chatlab.core.strategy.Ownership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Writes a workload's starting chats into a shared store (PostgreSQL, one server or sharded), or into each home node's
 * RocksDB, before a run, with a Vert.x of its own, so callers need no Vert.x types.
 *
 * <pre>{@code
 * StoreSeeder.seedPostgres(cluster.storeUrl(), Map.of("c1", List.of("alice", "bob")));
 * }</pre>
 */
public final class StoreSeeder {

    private StoreSeeder() {
    }

    /**
     * Writes each chat into the node-local RocksDB of its home node, under a cluster's data folder,
     * before the nodes start (a running node holds its database's lock).
     */
    public static void seedRocksDbHomes(Path dataDir, Ownership.PinnedHome homes, Map<String, List<String>> membersByChat) {
        Map<String, Map<String, List<String>>> byHome = new TreeMap<>();
        membersByChat.forEach((chat, members) ->
                byHome.computeIfAbsent(homes.homeOf(chat), h -> new TreeMap<>()).put(chat, members));
        Vertx vertx = Vertx.vertx();
        try {
            for (Map.Entry<String, Map<String, List<String>>> home : byHome.entrySet()) {
                try (RocksDbChatStore store = RocksDbChatStore.open(vertx, RocksDbChatStore.nodeDir(dataDir, home.getKey()))) {
                    List<Future<Void>> writes = new ArrayList<>();
                    home.getValue().forEach((chat, members) -> writes.add(store.seedChat(chat, members)));
                    Future.all(writes).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not seed the chats into the homes' RocksDB under " + dataDir + ": "
                    + e.getMessage(), e);
        } finally {
            vertx.close();
        }
    }

    public static void seedPostgres(String url, Map<String, List<String>> membersByChat) {
        seedPostgres(url, membersByChat, false);
    }

    /**
     * Seeds the chats; with {@code emptyFirst}, every chat, member and message already in the store
     * is removed first (a folder reused from an earlier run would otherwise add its members to chats
     * of the same names).
     */
    public static void seedPostgres(String url, Map<String, List<String>> membersByChat, boolean emptyFirst) {
        Vertx vertx = Vertx.vertx();
        try (SharedStore store = SharedStores.connect(vertx, url, 4)) {
            List<Future<Void>> writes = new ArrayList<>();
            store.createSchema().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (emptyFirst) {
                store.truncate().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
            for (Map.Entry<String, List<String>> e : membersByChat.entrySet()) {
                writes.add(store.seedChat(e.getKey(), e.getValue()));
            }
            Future.all(writes).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not seed the chats into " + url + ": " + e.getMessage(), e);
        } finally {
            vertx.close();
        }
    }
}
