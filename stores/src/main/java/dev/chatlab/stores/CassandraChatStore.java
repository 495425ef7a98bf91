package dev.chatlab.stores;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.store.MemberState;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.store.StoredMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message store on Apache Cassandra (or ScyllaDB), through the Java driver, in the seed's
 * layout: one partition per chat, its messages clustered by seq. Everything one operation must
 * change atomically lives in that partition, so that a lightweight transaction (Paxos) on it is
 * the whole operation: the chat's epoch and head (its newest seq), the (sender, cmid) -> seq index
 * of idempotent retries, the members and the receipt watermarks are static columns of the
 * partition, beside the message rows.
 *
 * <ul>
 *   <li>An append reads the partition's epoch, head and the index entries of its messages, works
 *       out every outcome as the in-memory store would, and writes one conditional batch: the new
 *       message rows ({@code IF NOT EXISTS}: the (chat, seq) fence) and the new head and index
 *       entries {@code IF epoch = <read> AND head = <read>}. If another write came first the batch
 *       does not apply and the append starts again from a new read; an epoch above its own makes
 *       it fenced, an unchanged head with a row already at its seq means an owner reused a seq
 *       (refused, as the in-memory store refuses it).</li>
 *   <li>A claim raises the epoch by a conditional update on its read value; what it then reads
 *       (head, members, watermarks) no write of an older epoch can change any more.</li>
 *   <li>A range read is one single-partition query: the page and the head it reports agree.</li>
 *   <li>A user's chats are a table of their own ({@code user_chats}), written after the fenced
 *       member change that they follow: a process that dies between the two leaves the list one
 *       change behind (a chat's owner changes its members one at a time).</li>
 * </ul>
 * Every operation costs at least one read and one Paxos round (four round trips); that is the
 * price of fencing and idempotence on a store without transactions, and what a comparison of
 * stores shows.
 *
 * <pre>{@code
 * SharedStore store = CassandraChatStore.connect(vertx, "cassandra://127.0.0.1:9042/chatlab");
 * store.createSchema().compose(v -> store.apply(new StoreOp.Claim("c1", "n1")));
 * }</pre>
 *
 * <p>Address: {@code cassandra://host:port[,host:port...]/keyspace[?dc=datacenter1&rf=1]}; an
 * external cluster (or ScyllaDB) is named the same way.
 */
public final class CassandraChatStore implements SharedStore {

    /** How many times an operation starts again after losing a race for its chat before it fails. */
    static final int RACES_LOST_MAX = 200;

    private final Vertx vertx;
    private final CqlSession session;
    private final String keyspace;
    private final int replicationFactor;
    private final Map<String, CompletionStage<PreparedStatement>> prepared = new ConcurrentHashMap<>();

    private CassandraChatStore(Vertx vertx, CqlSession session, String keyspace, int replicationFactor) {
        this.vertx = vertx;
        this.session = session;
        this.keyspace = keyspace;
        this.replicationFactor = replicationFactor;
    }

    /** Connects to the cluster of {@code address} (blocks while the driver opens its connections: call it at start-up). */
    public static CassandraChatStore connect(Vertx vertx, String address) {
        URI uri = URI.create(address);
        if (!"cassandra".equals(uri.getScheme())) {
            throw new IllegalArgumentException("a Cassandra address is cassandra://host:port[,host:port]/keyspace, got " + address);
        }
        Map<String, String> query = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        String keyspace = uri.getPath() == null || uri.getPath().length() <= 1 ? CassandraServer.KEYSPACE : uri.getPath().substring(1);
        if (!keyspace.matches("[a-z][a-z0-9_]{0,47}")) {
            throw new IllegalArgumentException("a keyspace is a lower-case word, got '" + keyspace + "' in " + address);
        }
        List<InetSocketAddress> contactPoints = new ArrayList<>();
        for (String hostPort : uri.getRawAuthority().split(",")) {
            int colon = hostPort.lastIndexOf(':');
            contactPoints.add(new InetSocketAddress(colon < 0 ? hostPort : hostPort.substring(0, colon),
                    colon < 0 ? 9042 : Integer.parseInt(hostPort.substring(colon + 1))));
        }
        // QUORUM reads and writes, SERIAL conditions: what makes the reads before a conditional write
        // see every committed one on a cluster of several replicas (on one node all are the same).
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "QUORUM")
                .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, "SERIAL")
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                // A node that comes back after a crash is tried every second, not after a backoff of up
                // to a minute: the chat nodes retry a store operation for about 5 s before giving up on it.
                .withString(DefaultDriverOption.RECONNECTION_POLICY_CLASS, "ConstantReconnectionPolicy")
                .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofSeconds(1))
                .build();
        CqlSession session = CqlSession.builder()
                .addContactPoints(contactPoints)
                .withLocalDatacenter(query.getOrDefault("dc", "datacenter1"))
                .withConfigLoader(config)
                .build();
        return new CassandraChatStore(vertx, session, keyspace, Integer.parseInt(query.getOrDefault("rf", "1")));
    }

    // ---- schema --------------------------------------------------------------------------------

    @Override
    public Future<Void> createSchema() {
        String table = """
                CREATE TABLE IF NOT EXISTS %s.chat_log (
                  chat text,
                  seq bigint,
                  epoch bigint STATIC,
                  head bigint STATIC,
                  ids map<text, bigint> STATIC,
                  members map<text, text> STATIC,
                  delivered_to map<text, bigint> STATIC,
                  read_by map<text, bigint> STATIC,
                  sender text,
                  sender_device text,
                  cmid text,
                  body text,
                  PRIMARY KEY (chat, seq))""".formatted(keyspace);
        String users = "CREATE TABLE IF NOT EXISTS %s.user_chats (user_id text, chat text, PRIMARY KEY (user_id, chat))"
                .formatted(keyspace);
        return run(session.executeAsync("CREATE KEYSPACE IF NOT EXISTS " + keyspace
                        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}"))
                .compose(r -> run(session.executeAsync(table)))
                .compose(r -> run(session.executeAsync(users)))
                .mapEmpty();
    }

    @Override
    public Future<Void> truncate() {
        return run(session.executeAsync("TRUNCATE " + keyspace + ".chat_log"))
                .compose(r -> run(session.executeAsync("TRUNCATE " + keyspace + ".user_chats")))
                .mapEmpty();
    }

    // ---- operations ----------------------------------------------------------------------------

    @Override
    public Future<StoreResult> apply(StoreOp op) {
        Context caller = vertx.getOrCreateContext();
        StoreOp storable = StoredText.encode(op);
        Future<StoreResult> result = storable instanceof StoreOp.ChatsOf ? attempt(storable) : inChatOrder(storable);
        // Answered on the caller's context, as the other stores answer: the node's state is not shared across threads.
        return onContext(caller, result.map(StoredText::decode));
    }

    private Future<StoreResult> attempt(StoreOp op) {
        try {
            return applyStorable(op, 0);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** The last operation sent on each chat that has one in progress. */
    private final Map<String, Future<StoreResult>> lastInChat = new HashMap<>();

    /**
     * Operations on one chat run one after the other, in the order they were given, as the
     * in-memory store applies them (a retry sent while its first attempt is in flight is answered
     * as the retry); Paxos alone would order them by whichever reached Cassandra first.
     */
    private Future<StoreResult> inChatOrder(StoreOp op) {
        String chat = op.chat();
        io.vertx.core.Promise<StoreResult> done = io.vertx.core.Promise.promise();
        Future<StoreResult> before;
        synchronized (lastInChat) {
            before = lastInChat.put(chat, done.future());
        }
        Runnable start = () -> attempt(op).onComplete(ar -> {
            synchronized (lastInChat) {
                lastInChat.remove(chat, done.future());
            }
            done.handle(ar);
        });
        if (before == null) {
            start.run();
        } else {
            before.onComplete(ignored -> start.run());
        }
        return done.future();
    }

    private Future<StoreResult> applyStorable(StoreOp op, int racesLost) {
        if (racesLost > RACES_LOST_MAX) {
            return Future.failedFuture(new IllegalStateException("gave up on " + op.getClass().getSimpleName() + " of chat "
                    + op.chat() + " after losing " + RACES_LOST_MAX + " races for it"));
        }
        if (op instanceof StoreOp.ChatsOf of) {
            return chatsOf(of.user());
        } else if (op instanceof StoreOp.Claim claim) {
            return claim(claim, racesLost);
        } else if (op instanceof StoreOp.Append append) {
            return append(append, racesLost);
        } else if (op instanceof StoreOp.ReadRange range) {
            return readRange(range, 0);
        } else if (op instanceof StoreOp.SetMember set) {
            return setMember(set, racesLost);
        } else if (op instanceof StoreOp.RaiseWatermark mark) {
            return raiseWatermark(mark, racesLost);
        }
        return Future.failedFuture(new IllegalArgumentException("unknown store op " + op));
    }

    /** The static part of a chat's partition, as read; epoch null: never claimed; head 0: no message. */
    private record Head(Long epoch, long head, Map<String, String> members, Map<String, Long> delivered, Map<String, Long> read) {
        boolean exists() {
            return head > 0 || !members.isEmpty();
        }
    }

    private Future<Head> head(String chat) {
        return query("SELECT epoch, head, members, delivered_to, read_by FROM %s.chat_log WHERE chat = ? LIMIT 1", chat)
                .map(rs -> {
                    Row row = rs.one();
                    if (row == null) {
                        return new Head(null, 0, Map.of(), Map.of(), Map.of());
                    }
                    return new Head(row.isNull(0) ? null : row.getLong(0), row.isNull(1) ? 0 : row.getLong(1),
                            row.getMap(2, String.class, String.class), row.getMap(3, String.class, Long.class),
                            row.getMap(4, String.class, Long.class));
                });
    }

    private Future<StoreResult> claim(StoreOp.Claim claim, int racesLost) {
        String chat = claim.chat();
        return head(chat).compose(before -> {
            if (!claim.create() && !before.exists()) {
                // A chat exists once it has a member or a message: asking about a made-up one writes nothing.
                return Future.succeededFuture(new StoreResult.NoSuchChat(chat));
            }
            long epoch = (before.epoch() == null ? 0 : before.epoch()) + 1;
            return conditional("UPDATE %s.chat_log SET epoch = ? WHERE chat = ? IF epoch = ?", epoch, chat, before.epoch())
                    .compose(applied -> !applied
                            ? applyStorable(claim, racesLost + 1)
                            // Read after the epoch is raised: no write under an older epoch can land any more.
                            : head(chat).map(after -> {
                                lastKnown.put(chat, new Known(epoch, after.head() == 0 ? null : after.head()));
                                return claimed(chat, epoch, after);
                            }));
        });
    }

    private static StoreResult claimed(String chat, long epoch, Head head) {
        Map<String, MemberState> members = new HashMap<>();
        head.members().forEach((user, state) -> members.put(user, MemberState.valueOf(state)));
        return new StoreResult.Claimed(chat, epoch, head.head(), members, new HashMap<>(head.delivered()), new HashMap<>(head.read()));
    }

    private static String idKey(String sender, String cmid) {
        // Stored strings hold no NUL (StoredText escapes it): NUL separates the two ids unambiguously.
        return sender + '\u0000' + cmid;
    }

    /**
     * An append. When this store wrote the chat last (the usual case: a chat's owner is its only
     * writer), it knows the epoch and head the partition had after that write and sends the batch
     * at once, guarded also by {@code ids[k] = null} for each new message (no retry of one already
     * stored): one Paxos round, no read. Any guard failing (another writer, a claim, a retry) sends
     * it down the general path, which reads first.
     */
    private Future<StoreResult> append(StoreOp.Append append, int racesLost) {
        String chat = append.chat();
        boolean unfenced = append.epoch() == StoreOp.UNFENCED;
        Known last = racesLost == 0 ? lastKnown.get(chat) : null;
        if (last == null || (!unfenced && append.epoch() < (last.epoch() == null ? 0 : last.epoch()))) {
            return appendAfterRead(append, racesLost);
        }
        Planned planned;
        try {
            planned = Planned.of(append, last.head(), Map.of());
        } catch (IllegalStateException seqTwice) {
            // Maybe a retry of a stored message beside a new one with the same seq: only a read tells.
            return appendAfterRead(append, racesLost);
        }
        if (planned.fresh().isEmpty()) {
            return appendAfterRead(append, racesLost);
        }
        return batch(chat, last.epoch(), last.head(), planned, unfenced, true).compose(applied -> {
            if (applied) {
                lastKnown.put(chat, new Known(last.epoch(), planned.newHead()));
                return Future.succeededFuture(new StoreResult.Appended(chat, planned.outcomes()));
            }
            lastKnown.remove(chat);
            return appendAfterRead(append, racesLost + 1);
        });
    }

    private Future<StoreResult> appendAfterRead(StoreOp.Append append, int racesLost) {
        if (racesLost > RACES_LOST_MAX) {
            return applyStorable(append, racesLost);
        }
        String chat = append.chat();
        List<String> keys = new ArrayList<>();
        for (StoreOp.NewMessage m : append.messages()) {
            String key = idKey(m.sender(), m.cmid());
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        StringBuilder select = new StringBuilder("SELECT epoch, head");
        for (int i = 0; i < keys.size(); i++) {
            select.append(", ids[?]");
        }
        select.append(" FROM %s.chat_log WHERE chat = ? LIMIT 1");
        List<Object> values = new ArrayList<>(keys);
        values.add(chat);
        return query(select.toString(), values.toArray()).compose(rs -> {
            Row row = rs.one();
            Long epochRead = row == null || row.isNull(0) ? null : row.getLong(0);
            Long headRead = row == null || row.isNull(1) ? null : row.getLong(1);
            long epoch = epochRead == null ? 0 : epochRead;
            boolean unfenced = append.epoch() == StoreOp.UNFENCED;
            if (!unfenced && append.epoch() < epoch) {
                return Future.succeededFuture(new StoreResult.Fenced(chat, epoch));
            }
            Map<String, Long> stored = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                if (row != null && !row.isNull(2 + i)) {
                    stored.put(keys.get(i), row.getLong(2 + i));
                }
            }
            Planned planned;
            try {
                planned = Planned.of(append, headRead, stored);
            } catch (IllegalStateException reusedInItself) {
                return Future.failedFuture(reusedInItself);
            }
            if (planned.fresh().isEmpty()) {
                lastKnown.put(chat, new Known(epochRead, headRead));
                return Future.succeededFuture(new StoreResult.Appended(chat, planned.outcomes()));
            }
            return batch(chat, epochRead, headRead, planned, unfenced, false).compose(applied -> {
                if (applied) {
                    lastKnown.put(chat, new Known(epochRead, planned.newHead()));
                    return Future.succeededFuture(new StoreResult.Appended(chat, planned.outcomes()));
                }
                return head(chat).compose(now -> {
                    if (java.util.Objects.equals(now.epoch(), epochRead) && now.head() == (headRead == null ? 0 : headRead)) {
                        // Nothing moved, so the batch failed on a message row that exists: a reused seq.
                        return Future.failedFuture(new IllegalStateException("a seq of " + planned.fresh().keySet() + " of chat "
                                + chat + " is taken: an owner under the current epoch reused it"));
                    }
                    return appendAfterRead(append, racesLost + 1);
                });
            });
        });
    }

    /** What this store saw a chat's partition hold after its own last write to it (null: absent). */
    private record Known(Long epoch, Long head) {
    }

    /** At most this many chats' last known heads are kept (the least recently written go first). */
    static final int KNOWN_CHATS_MAX = 100_000;

    private final Map<String, Known> lastKnown = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
                    return size() > KNOWN_CHATS_MAX;
                }
            });

    /**
     * An append worked out as the in-memory store would, from the head and the (sender, cmid)
     * entries stored: each message's outcome, the rows to insert by seq, their index entries.
     */
    private record Planned(List<StoreResult.Outcome> outcomes, Map<Long, StoreOp.NewMessage> fresh,
                           Map<String, Long> freshIds, long newHead) {

        static Planned of(StoreOp.Append append, Long headRead, Map<String, Long> stored) {
            boolean unfenced = append.epoch() == StoreOp.UNFENCED;
            Map<String, Long> known = new HashMap<>(stored);
            long head = headRead == null ? 0 : headRead;
            List<StoreResult.Outcome> outcomes = new ArrayList<>();
            Map<Long, StoreOp.NewMessage> fresh = new LinkedHashMap<>();
            Map<String, Long> freshIds = new LinkedHashMap<>();
            for (StoreOp.NewMessage m : append.messages()) {
                String key = idKey(m.sender(), m.cmid());
                Long existing = known.get(key);
                if (existing != null) {
                    outcomes.add(new StoreResult.Outcome(existing, true));
                    continue;
                }
                long seq = m.seq() == 0 ? head + 1 : m.seq();
                if (fresh.containsKey(seq) && !unfenced) {
                    throw new IllegalStateException("seq " + seq + " of chat " + append.chat()
                            + " is taken: an owner under the current epoch reused it");
                }
                fresh.put(seq, m);
                freshIds.put(key, seq);
                known.put(key, seq);
                head = Math.max(head, seq);
                outcomes.add(new StoreResult.Outcome(seq, false));
            }
            return new Planned(outcomes, fresh, freshIds, head);
        }
    }

    /**
     * The conditional batch of an append: all of it or none, in the chat's partition; with
     * {@code guardIds}, also only if none of its (sender, cmid) is stored yet.
     */
    private Future<Boolean> batch(String chat, Long epochRead, Long headRead, Planned planned, boolean unfenced, boolean guardIds) {
        String insert = "INSERT INTO %s.chat_log (chat, seq, sender, sender_device, cmid, body) VALUES (?, ?, ?, ?, ?, ?)"
                + (unfenced ? "" : " IF NOT EXISTS");
        StringBuilder advance = new StringBuilder("UPDATE %s.chat_log SET head = ?, ids = ids + ? WHERE chat = ? IF epoch = ? AND head = ?");
        List<Object> values = new ArrayList<>(List.of(planned.newHead(), planned.freshIds(), chat));
        values.add(epochRead);
        values.add(headRead);
        if (guardIds) {
            for (String key : planned.freshIds().keySet()) {
                advance.append(" AND ids[?] = ?");
                values.add(key);
                values.add(null);
            }
        }
        return prepare(insert).compose(ins -> prepare(advance.toString()).compose(adv -> {
            BatchStatementBuilder batch = BatchStatement.builder(BatchType.LOGGED);
            batch.addStatement(adv.bind(values.toArray()));
            for (Map.Entry<Long, StoreOp.NewMessage> e : planned.fresh().entrySet()) {
                StoreOp.NewMessage m = e.getValue();
                batch.addStatement(ins.bind(chat, e.getKey(), m.sender(), m.senderDevice(), m.cmid(), m.body()));
            }
            BatchStatement statement = batch.build();
            return limited(() -> session.executeAsync(statement)).map(AsyncResultSet::wasApplied);
        }));
    }

    private Future<StoreResult> readRange(StoreOp.ReadRange range, int emptyRereads) {
        String chat = range.chat();
        // One query, one partition: the head read with the page is the head the page was cut from.
        return query("SELECT head, seq, sender, sender_device, cmid, body FROM %s.chat_log WHERE chat = ? AND seq > ? LIMIT ?",
                chat, range.afterSeq(), range.limit() + 1).compose(rs -> {
                    List<StoredMessage> page = new ArrayList<>();
                    long head = 0;
                    boolean more = false;
                    for (Row row : rs.currentPage()) {
                        head = row.isNull(0) ? 0 : row.getLong(0);
                        if (page.size() == range.limit()) {
                            more = true;
                            break;
                        }
                        page.add(new StoredMessage(chat, row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                                row.getString(5)));
                    }
                    if (!page.isEmpty()) {
                        long upTo = more ? page.get(page.size() - 1).seq() : Math.max(range.afterSeq(), head);
                        return Future.succeededFuture(new StoreResult.Range(chat, page, upTo, more));
                    }
                    // No row after the cursor came back, so no head with it: the head is read apart, and
                    // if a message arrived after the cursor meanwhile, the page is read again with it.
                    return head(chat).compose(now -> now.head() <= range.afterSeq() || emptyRereads > 10
                            ? Future.succeededFuture(new StoreResult.Range(chat, List.of(), range.afterSeq(), false))
                            : readRange(range, emptyRereads + 1));
                });
    }

    private Future<StoreResult> setMember(StoreOp.SetMember set, int racesLost) {
        String chat = set.chat();
        return head(chat).compose(before -> {
            long epoch = before.epoch() == null ? 0 : before.epoch();
            if (set.epoch() != StoreOp.UNFENCED && set.epoch() < epoch) {
                return Future.succeededFuture(new StoreResult.Fenced(chat, epoch));
            }
            Future<Boolean> write = set.state() == null
                    ? conditional("DELETE members[?] FROM %s.chat_log WHERE chat = ? IF epoch = ?", set.user(), chat, before.epoch())
                    : conditional("UPDATE %s.chat_log SET members = members + ? WHERE chat = ? IF epoch = ?",
                            Map.of(set.user(), set.state().name()), chat, before.epoch());
            return write.compose(applied -> {
                if (!applied) {
                    return applyStorable(set, racesLost + 1);
                }
                Future<AsyncResultSet> index = set.state() == null
                        ? query("DELETE FROM %s.user_chats WHERE user_id = ? AND chat = ?", set.user(), chat)
                        : query("INSERT INTO %s.user_chats (user_id, chat) VALUES (?, ?)", set.user(), chat);
                return index.map(r -> new StoreResult.Done(chat));
            });
        });
    }

    private Future<StoreResult> raiseWatermark(StoreOp.RaiseWatermark mark, int racesLost) {
        String chat = mark.chat();
        String column = mark.state() == ReceiptState.READ ? "read_by" : "delivered_to";
        return query("SELECT " + column + "[?] FROM %s.chat_log WHERE chat = ? LIMIT 1", mark.user(), chat).compose(rs -> {
            Row row = rs.one();
            Long current = row == null || row.isNull(0) ? null : row.getLong(0);
            if (current != null && current >= mark.seq()) {
                return Future.succeededFuture(new StoreResult.Done(chat));
            }
            return conditional("UPDATE %s.chat_log SET " + column + " = " + column + " + ? WHERE chat = ? IF " + column + "[?] = ?",
                    Map.of(mark.user(), mark.seq()), chat, mark.user(), current)
                    .compose(applied -> applied
                            ? Future.succeededFuture(new StoreResult.Done(chat))
                            : applyStorable(mark, racesLost + 1));
        });
    }

    private Future<StoreResult> chatsOf(String user) {
        return query("SELECT chat FROM %s.user_chats WHERE user_id = ?", user).compose(rs -> {
            List<String> chats = new ArrayList<>();
            for (Row row : rs.currentPage()) {
                chats.add(row.getString(0));
            }
            if (rs.hasMorePages()) {
                return Future.failedFuture(new IllegalStateException("user " + user + " is in more chats than one page lists"));
            }
            List<Future<Head>> heads = new ArrayList<>();
            for (String chat : chats) {
                heads.add(head(chat));
            }
            return Future.all(heads).map(all -> {
                List<StoreResult.ChatHead> out = new ArrayList<>();
                for (int i = 0; i < chats.size(); i++) {
                    out.add(new StoreResult.ChatHead(chats.get(i), heads.get(i).result().head()));
                }
                // Sorted by the ids as given when decoded (StoredText), as the in-memory store lists them.
                return new StoreResult.Chats(user, out);
            });
        });
    }

    @Override
    public Future<Void> seedChat(String chatId, List<String> memberIds) {
        Context caller = vertx.getOrCreateContext();
        String chat = StoredText.encode(chatId);
        Map<String, String> members = new LinkedHashMap<>();
        for (String user : StoredText.encode(memberIds)) {
            members.put(user, (members.isEmpty() ? MemberState.ADMIN : MemberState.MEMBER).name());
        }
        return onContext(caller, seed(chat, members, 0));
    }

    private Future<Void> seed(String chat, Map<String, String> members, int racesLost) {
        if (racesLost > RACES_LOST_MAX) {
            return Future.failedFuture(new IllegalStateException("gave up seeding chat " + chat));
        }
        return head(chat).compose(before -> conditional("UPDATE %s.chat_log SET members = members + ? WHERE chat = ? IF epoch = ?",
                        members, chat, before.epoch()))
                .compose(applied -> {
                    if (!applied) {
                        return seed(chat, members, racesLost + 1);
                    }
                    List<Future<AsyncResultSet>> index = new ArrayList<>();
                    for (String user : members.keySet()) {
                        index.add(query("INSERT INTO %s.user_chats (user_id, chat) VALUES (?, ?)", user, chat));
                    }
                    return Future.all(index).mapEmpty();
                });
    }

    // ---- driver plumbing -----------------------------------------------------------------------

    /** Runs a statement of this keyspace ({@code %s} in the text) with positional values. */
    private Future<AsyncResultSet> query(String cql, Object... values) {
        return prepare(cql).compose(p -> limited(() -> session.executeAsync(p.bind(values))));
    }

    /** Runs a conditional statement; true if it applied. */
    private Future<Boolean> conditional(String cql, Object... values) {
        return query(cql, values).map(AsyncResultSet::wasApplied);
    }

    private Future<PreparedStatement> prepare(String cql) {
        CompletionStage<PreparedStatement> p = prepared.computeIfAbsent(cql, text -> session.prepareAsync(text.formatted(keyspace)));
        return Future.fromCompletionStage(p).recover(e -> {
            prepared.remove(cql);
            return Future.failedFuture(e);
        });
    }

    /**
     * Requests sent to the cluster at once, at most: the driver refuses a request outright ("no
     * connection was available") once its connections hold 1,024 each, and a seeding of a
     * thousand chats, or a burst of appends, sends more than that at once. The others wait here in order.
     */
    static final int IN_FLIGHT_MAX = 512;

    private final java.util.ArrayDeque<Runnable> waiting = new java.util.ArrayDeque<>();
    private int inFlight;

    private <T> Future<T> limited(java.util.function.Supplier<CompletionStage<T>> request) {
        io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
        Runnable send = () -> run(sent(request)).onComplete(ar -> {
            Runnable next;
            synchronized (waiting) {
                next = waiting.poll();
                if (next == null) {
                    inFlight--;
                }
            }
            promise.handle(ar);
            if (next != null) {
                next.run();
            }
        });
        boolean now;
        synchronized (waiting) {
            now = inFlight < IN_FLIGHT_MAX;
            if (now) {
                inFlight++;
            } else {
                waiting.add(send);
            }
        }
        if (now) {
            send.run();
        }
        return promise.future();
    }

    private static <T> CompletionStage<T> sent(java.util.function.Supplier<CompletionStage<T>> request) {
        try {
            return request.get();
        } catch (RuntimeException refused) {
            return java.util.concurrent.CompletableFuture.failedFuture(refused);
        }
    }

    private static <T> Future<T> run(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage);
    }

    private static <T> Future<T> onContext(Context context, Future<T> future) {
        io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
        future.onComplete(ar -> context.runOnContext(v -> promise.handle(ar)));
        return promise.future();
    }

    /** Statements of this store, for tests that look at what it wrote. */
    CqlSession session() {
        return session;
    }

    @Override
    public void close() {
        session.close();
    }
}
