package dev.chatlab.stores;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SQL sharding: several independent PostgreSQL servers, each chat on the one its id hashes to, behind
 * the one {@link ChatStore} interface. Every operation but one names a single chat and goes to that
 * chat's shard whole, so each keeps its single-server semantics (fencing, idempotent appends, one
 * snapshot per range read). {@code ChatsOf} (a user's chats) asks every shard and merges the
 * answers: a user's chats are spread over the shards, and the merge is not one snapshot (a chat
 * created on one shard while another answers may be missing, as if listed a moment earlier).
 *
 * <pre>{@code
 * ShardedPostgresChatStore store = ShardedPostgresChatStore.connect(vertx, List.of(url1, url2), 8, 1);
 * store.createSchema().compose(v -> store.apply(new StoreOp.Claim("c1", "n1")));
 * }</pre>
 */
public final class ShardedPostgresChatStore implements SharedStore {

    private final List<PostgresChatStore> shards;

    ShardedPostgresChatStore(List<PostgresChatStore> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("a sharded store needs at least one shard");
        }
        this.shards = List.copyOf(shards);
    }

    /** One pool of at most {@code connectionsMax} connections to each shard, in the order given (a chat's shard is its index). */
    public static ShardedPostgresChatStore connect(io.vertx.core.Vertx vertx, List<String> urls, int connectionsMax, long lingerMillis) {
        List<PostgresChatStore> shards = new ArrayList<>();
        for (String url : urls) {
            shards.add(PostgresChatStore.connect(vertx, url, connectionsMax, lingerMillis));
        }
        return new ShardedPostgresChatStore(shards);
    }

    /**
     * The shard of a chat: FNV-1a (64 bit) of the id's UTF-8 bytes, mixed by MurmurHash3's
     * finaliser, modulo the shard count. Stable across processes, JVMs and versions (a chat must
     * find its shard again after any restart). The finaliser matters: FNV's low bits follow the
     * low bits of the bytes, so without it two shards split ids by the parity of their last
     * character.
     */
    public static int shardOf(String chat, int shardCount) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : chat.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return (int) Long.remainderUnsigned(hash, shardCount);
    }

    public int shardCount() {
        return shards.size();
    }

    @Override
    public Future<StoreResult> apply(StoreOp op) {
        if (op instanceof StoreOp.ChatsOf of) {
            List<Future<StoreResult>> answers = new ArrayList<>(shards.size());
            for (PostgresChatStore shard : shards) {
                answers.add(shard.apply(of));
            }
            return Future.all(answers).map(all -> {
                List<StoreResult.ChatHead> heads = new ArrayList<>();
                for (Future<StoreResult> answer : answers) {
                    heads.addAll(((StoreResult.Chats) answer.result()).heads());
                }
                heads.sort(Comparator.comparing(StoreResult.ChatHead::chat));
                return new StoreResult.Chats(of.user(), heads);
            });
        }
        return shardFor(op.chat()).apply(op);
    }

    @Override
    public Future<Void> seedChat(String chat, List<String> members) {
        return shardFor(chat).seedChat(chat, members);
    }

    @Override
    public Future<Void> createSchema() {
        return each(PostgresChatStore::createSchema);
    }

    @Override
    public Future<Void> truncate() {
        return each(PostgresChatStore::truncate);
    }

    private Future<Void> each(java.util.function.Function<PostgresChatStore, Future<Void>> action) {
        List<Future<Void>> all = new ArrayList<>(shards.size());
        for (PostgresChatStore shard : shards) {
            all.add(action.apply(shard));
        }
        return Future.all(all).mapEmpty();
    }

    private PostgresChatStore shardFor(String chat) {
        return shards.get(shardOf(chat, shards.size()));
    }

    @Override
    public void close() {
        shards.forEach(PostgresChatStore::close);
    }
}
