package dev.chatlab.stores;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.store.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The recent-message cache in front of any store: the last {@code recent} messages of each chat
 * in Redis, one sorted set per chat (scored by seq), written only after the store has taken an
 * append, so the store stays the truth. A {@link StoreOp.ReadRange} (a device's sync, a history
 * page) is answered from Redis when the range it asks for lies wholly in the chat's cached
 * window; anything else, a chat not cached, and any Redis failure or timeout go to the store.
 *
 * <p>The window {@code (lo, hi]} is what makes a cached answer safe: Redis holds every stored
 * message with {@code lo < seq <= hi}, because {@code hi} only grows one seq at a time. A message
 * whose seq leaves a gap above {@code hi} (a failover's skipped seqs, a write this cache never
 * saw) starts the window again just below it, since what lies in the gap is unknown; trimming to
 * {@code recent} raises {@code lo}. The window is a member of the chat's own sorted set (score
 * -1), so an eviction or a restarted Redis loses a chat's messages and window together. A cache
 * write that fails leaves the chat marked here, and the next touch of that chat drops its key
 * before it is trusted again. A writer that died between the store and the cache leaves the
 * window short of the store's head until the chat's next owner claims it: the claim reads the
 * head from the store and starts the window again there (a short window in the meantime answers
 * as if the unacknowledged message were not written yet).
 *
 * <pre>{@code
 * ChatStore store = CachedChatStore.wrap(vertx, PostgresChatStore.connect(vertx, url, 8), redis.url(), 200);
 * store.apply(new StoreOp.ReadRange("c1", 180, 20));   // from Redis if seqs 181.. are in the window
 * long hits = ((CachedChatStore) store).hits();
 * }</pre>
 */
public final class CachedChatStore implements ChatStore {

    /**
     * How long a cache request may take before the store answers instead: long enough for a cold
     * 64 KiB message on a busy 2-core machine (500 ms was not), short enough that a stopped Redis
     * costs a node seconds, not its requests.
     */
    static final long TIMEOUT_MILLIS = 2_000;

    /**
     * KEYS[1] the chat; ARGV[1] messages kept, ARGV[2] '1' to drop the key first, then per message
     * its seq, 'n' (new) or 'd' (existed already: only fills the window, never replaces) and its member.
     */
    static final String APPEND_SCRIPT = """
            local key = KEYS[1]
            local keep = tonumber(ARGV[1])
            if ARGV[2] == '1' then redis.call('DEL', key) end
            local lo, hi
            local meta = redis.call('ZRANGE', key, -1, -1, 'BYSCORE')
            if #meta == 1 then
              local colon = string.find(meta[1], ':', 1, true)
              lo = tonumber(string.sub(meta[1], 2, colon - 1))
              hi = tonumber(string.sub(meta[1], colon + 1))
            end
            for i = 3, #ARGV, 3 do
              local seq = tonumber(ARGV[i])
              if hi == nil or seq > hi + 1 then
                redis.call('ZREMRANGEBYSCORE', key, 0, '+inf')
                lo = seq - 1
                hi = seq
                redis.call('ZADD', key, seq, ARGV[i + 2])
              elseif seq == hi + 1 then
                hi = seq
                redis.call('ZADD', key, seq, ARGV[i + 2])
              elseif seq > lo and ARGV[i + 1] == 'n' then
                redis.call('ZREMRANGEBYSCORE', key, seq, seq)
                redis.call('ZADD', key, seq, ARGV[i + 2])
              end
            end
            if hi == nil then return 0 end
            local excess = redis.call('ZCOUNT', key, 0, '+inf') - keep
            if excess > 0 then
              local last = redis.call('ZRANGE', key, 0, '+inf', 'BYSCORE', 'LIMIT', excess - 1, 1, 'WITHSCORES')
              lo = tonumber(last[2])
              redis.call('ZREMRANGEBYSCORE', key, 0, lo)
            end
            redis.call('ZREMRANGEBYSCORE', key, -1, -1)
            redis.call('ZADD', key, -1, string.format('#%d:%d', lo, hi))
            return 1
            """;

    /** KEYS[1] the chat; ARGV[1] after, ARGV[2] limit. Nil unless the window holds every seq above after; else hi, then up to limit+1 members. */
    static final String READ_SCRIPT = """
            local key = KEYS[1]
            local meta = redis.call('ZRANGE', key, -1, -1, 'BYSCORE')
            if #meta == 0 then return false end
            local colon = string.find(meta[1], ':', 1, true)
            local lo = tonumber(string.sub(meta[1], 2, colon - 1))
            if tonumber(ARGV[1]) < lo then return false end
            local page = redis.call('ZRANGE', key, '(' .. ARGV[1], '+inf', 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[2]) + 1)
            table.insert(page, 1, string.sub(meta[1], colon + 1))
            return page
            """;

    /**
     * KEYS[1] the chat; ARGV[1] its last seq as a claim read it from the store. A window below that
     * lacks what a writer that died between store and cache left behind: it starts again, empty, at
     * the store's head. Never lowered, since a later owner's appends may already be there.
     */
    static final String HEAD_SCRIPT = """
            local key = KEYS[1]
            local last = tonumber(ARGV[1])
            local meta = redis.call('ZRANGE', key, -1, -1, 'BYSCORE')
            if #meta == 1 then
              local colon = string.find(meta[1], ':', 1, true)
              if tonumber(string.sub(meta[1], colon + 1)) >= last then return 0 end
            end
            redis.call('DEL', key)
            redis.call('ZADD', key, -1, string.format('#%d:%d', last, last))
            return 1
            """;

    /**
     * Seqs from here on are not cached: Redis scores and Lua numbers are doubles, exact only below
     * 2^53, and the window's arithmetic (hi + 1) must be exact. Snowflake ids stay below it for
     * about 24 days of a run.
     */
    static final long SEQ_MAX = 1L << 53;

    private static final String APPEND_SHA = sha1(APPEND_SCRIPT);
    private static final String HEAD_SHA = sha1(HEAD_SCRIPT);
    private static final String READ_SHA = sha1(READ_SCRIPT);
    private static final byte[] KEY_PREFIX = "chatlab:recent:".getBytes(StandardCharsets.UTF_8);

    private final ChatStore store;
    private final Redis redis;
    private final int recent;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /** Chats whose cache write failed: their key may lack a stored message until it is dropped. */
    private final Set<String> suspect = ConcurrentHashMap.newKeySet();

    private CachedChatStore(ChatStore store, Redis redis, int recent) {
        this.store = store;
        this.redis = redis;
        this.recent = recent;
    }

    /** {@code store} behind a cache of its last {@code recent} messages per chat in the Redis at {@code redisUrl}. */
    public static CachedChatStore wrap(Vertx vertx, ChatStore store, String redisUrl, int recent) {
        if (recent < 1) {
            throw new IllegalArgumentException("a recent-message cache keeps at least 1 message a chat, got " + recent);
        }
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl)
                .setMaxPoolSize(8).setMaxPoolWaiting(4_096).setMaxWaitingHandlers(65_536));
        return new CachedChatStore(store, redis, recent);
    }

    /** The store behind the cache. */
    public ChatStore store() {
        return store;
    }

    /** Reads answered from Redis. */
    public long hits() {
        return hits.sum();
    }

    /** Reads the store answered: outside the window, not cached, or Redis failed. */
    public long misses() {
        return misses.sum();
    }

    /** Cache requests that failed or timed out (each fell back to the store, or left its chat suspect). */
    public long failures() {
        return failures.sum();
    }

    @Override
    public Future<StoreResult> apply(StoreOp op) {
        if (op instanceof StoreOp.ReadRange read) {
            return read(read);
        }
        Future<StoreResult> applied = store.apply(op);
        if (op instanceof StoreOp.Append append) {
            return applied.compose(result -> result instanceof StoreResult.Appended appended
                    ? remember(append, appended).map(result) : Future.succeededFuture(result));
        }
        if (op instanceof StoreOp.Claim) {
            // The new owner appends only once its claim is answered, so the window is settled first.
            return applied.compose(result -> result instanceof StoreResult.Claimed claimed
                    ? settleHead(claimed).map(result) : Future.succeededFuture(result));
        }
        return applied;
    }

    @Override
    public Future<Void> seedChat(String chat, List<String> members) {
        return store.seedChat(chat, members);
    }

    private Future<StoreResult> read(StoreOp.ReadRange read) {
        if (read.afterSeq() >= SEQ_MAX) {
            return fromStore(read);
        }
        if (read.limit() < 1 || suspect.contains(read.chat())) {
            if (read.limit() >= 1) {
                forget(read.chat());
            }
            return fromStore(read);
        }
        Request request = Request.cmd(Command.EVALSHA).arg(READ_SHA).arg(1).arg(key(read.chat()))
                .arg(read.afterSeq()).arg(read.limit());
        return send(request, READ_SCRIPT).transform(answer -> {
            if (answer.failed()) {
                failures.increment();
                return fromStore(read);
            }
            Response page = answer.result();
            if (page == null) {
                return fromStore(read);
            }
            hits.increment();
            return Future.succeededFuture(range(read, page));
        });
    }

    private Future<StoreResult> fromStore(StoreOp.ReadRange read) {
        misses.increment();
        return store.apply(read);
    }

    /** The store's answer rebuilt from the window's top and up to limit+1 cached members. */
    private static StoreResult.Range range(StoreOp.ReadRange read, Response page) {
        long hi = Long.parseLong(page.get(0).toString());
        int found = page.size() - 1;
        boolean more = found > read.limit();
        List<StoredMessage> messages = new ArrayList<>(Math.min(found, read.limit()));
        for (int i = 1; i <= Math.min(found, read.limit()); i++) {
            messages.add(decode(read.chat(), page.get(i).toBuffer()));
        }
        long upTo = more ? messages.get(messages.size() - 1).seq() : Math.max(read.afterSeq(), hi);
        return new StoreResult.Range(read.chat(), messages, upTo, more);
    }

    /** Writes what the store took; never fails the append, whose truth is already in the store. */
    private Future<Void> remember(StoreOp.Append append, StoreResult.Appended appended) {
        // One entry per seq, in seq order: a message the store took is kept over a retry of it in the same append.
        TreeMap<Long, Buffer[]> bySeq = new TreeMap<>();
        for (int i = 0; i < appended.outcomes().size(); i++) {
            StoreResult.Outcome outcome = appended.outcomes().get(i);
            StoreOp.NewMessage m = append.messages().get(i);
            Buffer kind = Buffer.buffer(outcome.duplicate() ? "d" : "n");
            Buffer[] entry = bySeq.get(outcome.seq());
            if (entry == null || !outcome.duplicate() && entry[0].toString().equals("d")) {
                bySeq.put(outcome.seq(), new Buffer[] {kind, encode(outcome.seq(), m)});
            }
        }
        if (bySeq.isEmpty()) {
            return Future.succeededFuture();
        }
        String chat = append.chat();
        if (bySeq.lastKey() >= SEQ_MAX) {
            // Past what a double holds exactly: the chat is not cached (its key goes, and until then it is not trusted).
            suspect.add(chat);
            forget(chat);
            return Future.succeededFuture();
        }
        boolean drop = suspect.contains(chat);
        Request request = Request.cmd(Command.EVALSHA).arg(APPEND_SHA).arg(1).arg(key(chat)).arg(recent).arg(drop ? "1" : "0");
        bySeq.forEach((seq, entry) -> request.arg(seq).arg(entry[0]).arg(entry[1]));
        return send(request, APPEND_SCRIPT).transform(done -> {
            if (done.succeeded()) {
                if (drop) {
                    suspect.remove(chat);
                }
            } else {
                failures.increment();
                suspect.add(chat);
            }
            return Future.succeededFuture();
        });
    }

    private Future<Void> settleHead(StoreResult.Claimed claimed) {
        String chat = claimed.chat();
        Request request = Request.cmd(Command.EVALSHA).arg(HEAD_SHA).arg(1).arg(key(chat)).arg(claimed.lastSeq());
        return send(request, HEAD_SCRIPT).transform(done -> {
            if (done.succeeded()) {
                suspect.remove(chat);
            } else {
                failures.increment();
                suspect.add(chat);
            }
            return Future.succeededFuture();
        });
    }

    /** Drops a suspect chat's key; until that works, its reads go to the store. */
    private void forget(String chat) {
        redis.send(Request.cmd(Command.DEL).arg(key(chat))).timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .onSuccess(r -> suspect.remove(chat));
    }

    /** Runs a script by its digest, loading it on a server that does not know it (a restarted Redis). */
    private Future<Response> send(Request bySha, String script) {
        return redis.send(bySha).recover(error -> {
            if (error.getMessage() == null || !error.getMessage().startsWith("NOSCRIPT")) {
                return Future.failedFuture(error);
            }
            return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script)).compose(loaded -> redis.send(bySha));
        }).timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A chat's key: any string the protocol allows, made UTF-8-safe by {@link StoredText} (injective, so chats stay apart). */
    static Buffer key(String chat) {
        return Buffer.buffer(KEY_PREFIX).appendBytes(StoredText.encode(chat).getBytes(StandardCharsets.UTF_8));
    }

    /** A message as a sorted-set member: its seq first, so two messages of different seqs never collide. */
    static Buffer encode(long seq, StoreOp.NewMessage m) {
        Buffer out = Buffer.buffer(64 + m.body().length()).appendLong(seq);
        for (String field : new String[] {m.sender(), m.senderDevice(), m.cmid(), m.body()}) {
            byte[] bytes = StoredText.encode(field).getBytes(StandardCharsets.UTF_8);
            out.appendInt(bytes.length).appendBytes(bytes);
        }
        return out;
    }

    static StoredMessage decode(String chat, Buffer member) {
        long seq = member.getLong(0);
        String[] fields = new String[4];
        int at = 8;
        for (int i = 0; i < fields.length; i++) {
            int length = member.getInt(at);
            fields[i] = StoredText.decode(member.getString(at + 4, at + 4 + length, "UTF-8"));
            at += 4 + length;
        }
        return new StoredMessage(chat, seq, fields[0], fields[1], fields[2], fields[3]);
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Closes the Redis client and the store behind it. */
    @Override
    public void close() {
        redis.close();
        store.close();
    }
}
