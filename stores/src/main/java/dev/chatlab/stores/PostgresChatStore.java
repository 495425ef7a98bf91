package dev.chatlab.stores;

import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.store.MemberState;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.store.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared message store on PostgreSQL, through Vert.x's asynchronous client (no thread ever
 * waits on the database). One table per concern: {@code chats} (epoch and newest seq),
 * {@code messages} (unique on (chat, seq) and on (chat, sender, cmid)), {@code members} and
 * {@code watermarks}. Every fenced write runs in one transaction that first locks the chat's row
 * and compares epochs, so a stale owner can neither overwrite nor fork the sequence. Appends are
 * group-committed across chats, one call of a server-side function per group ({@link PostgresAppends}),
 * and so are watermarks, one upsert per group ({@link PostgresWatermarks}).
 *
 * <pre>{@code
 * PostgresChatStore store = PostgresChatStore.connect(vertx, url, 8);
 * store.createSchema().compose(v -> store.apply(new StoreOp.Claim("c1", "n1")));
 * }</pre>
 */
public final class PostgresChatStore implements SharedStore {

    /** The SQL state PostgreSQL reports for a broken unique constraint. */
    public static final String UNIQUE_VIOLATION = "23505";

    /**
     * Keys compare byte by byte ({@code COLLATE "C"}): nothing here needs the database's language
     * order (chatlab sorts in Java), and a locale's comparison costs several times more in every
     * index probe and insert.
     */
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS chats (
              chat text COLLATE "C" PRIMARY KEY,
              epoch bigint NOT NULL);
            CREATE TABLE IF NOT EXISTS messages (
              chat text COLLATE "C" NOT NULL,
              seq bigint NOT NULL,
              sender text COLLATE "C" NOT NULL,
              sender_device text NOT NULL,
              cmid text COLLATE "C" NOT NULL,
              body text NOT NULL,
              PRIMARY KEY (chat, seq),
              UNIQUE (chat, sender, cmid));
            CREATE TABLE IF NOT EXISTS members (
              chat text COLLATE "C" NOT NULL,
              user_id text COLLATE "C" NOT NULL,
              state text NOT NULL,
              PRIMARY KEY (chat, user_id));
            CREATE INDEX IF NOT EXISTS members_by_user ON members (user_id);
            CREATE TABLE IF NOT EXISTS watermarks (
              chat text COLLATE "C" NOT NULL,
              user_id text COLLATE "C" NOT NULL,
              kind text NOT NULL,
              seq bigint NOT NULL,
              PRIMARY KEY (chat, user_id, kind));
            """;

    /**
     * A chat's head, its newest seq: the greatest stored, found by one backward step in the primary
     * key. It is not kept in the chats row, because raising a row per chat at every group commit
     * cost PostgreSQL a new row version per message (and a table full of dead ones).
     */
    static final String HEAD_OF = "(SELECT coalesce(max(x.seq), 0) FROM messages x WHERE x.chat = %s)";

    /**
     * Stores made before the head was worked out from the messages have a {@code last_seq} column
     * that new rows do not fill; it goes (the messages hold the same information).
     */
    private static final String DROP_OLD_HEAD = """
            DO $$ BEGIN
              IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'chats' AND column_name = 'last_seq') THEN
                ALTER TABLE chats DROP COLUMN last_seq;
              END IF;
            END $$""";

    /** Lock the chat's row, creating it at epoch 0 as the in-memory store does for any op on a new chat. */
    private static final String LOCK_CHAT = """
            INSERT INTO chats (chat, epoch) VALUES ($1, 0)
            ON CONFLICT (chat) DO UPDATE SET epoch = chats.epoch
            RETURNING epoch""";

    /** Group-commit transactions in flight at once. */
    static final int APPEND_WRITERS_MAX = 2;

    private final Pool pool;
    private final PostgresAppends appends;
    private final PostgresWatermarks watermarks;

    /**
     * How long an append waits for others to join its group when no group is being written: a
     * group costs PostgreSQL a fixed part whatever its size, so at a few thousand appends a second
     * a millisecond's wait cuts its CPU per message (see PostgresAppends).
     */
    public static final long LINGER_MILLIS_DEFAULT = 1;

    private PostgresChatStore(Vertx vertx, Pool pool, int connectionsMax, long lingerMillis) {
        this.pool = pool;
        // Few writers make big groups: on a busy machine PostgreSQL's CPU per message, not the number
        // of transactions in flight, is what limits appends. The rest of the pool serves claims and reads.
        int writers = Math.max(1, Math.min(APPEND_WRITERS_MAX, connectionsMax / 2));
        this.appends = new PostgresAppends(vertx, pool, writers, lingerMillis);
        this.watermarks = new PostgresWatermarks(vertx, pool, writers, lingerMillis);
    }

    /** A pool of at most {@code connectionsMax} connections to {@code url} ({@code postgresql://user:pw@host:port/db}). */
    public static PostgresChatStore connect(Vertx vertx, String url, int connectionsMax) {
        return connect(vertx, url, connectionsMax, LINGER_MILLIS_DEFAULT);
    }

    /** As {@link #connect(Vertx, String, int)}, with the group commit's linger in milliseconds (0: none). */
    public static PostgresChatStore connect(Vertx vertx, String url, int connectionsMax, long lingerMillis) {
        PgConnectOptions connect = PgConnectOptions.fromUri(url).setCachePreparedStatements(true);
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(connectionsMax))
                .connectingTo(connect)
                .using(vertx)
                .build();
        return new PostgresChatStore(vertx, pool, connectionsMax, lingerMillis);
    }

    /**
     * Creates the tables and the append function if they are missing; serialised by an advisory
     * lock so that nodes may race.
     */
    @Override
    public Future<Void> createSchema() {
        // The tables are checked first so that a store already set up is not asked again (PostgreSQL
        // answers "already exists" notices, which the client logs as warnings); the function is
        // always replaced, so a store made by older code appends with this code's definition.
        return pool.query("SELECT to_regclass('watermarks') IS NOT NULL").execute().compose(rows -> {
            boolean tables = rows.iterator().next().getBoolean(0);
            return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(7171)").execute()
                    .compose(r -> tables ? conn.query(DROP_OLD_HEAD).execute() : conn.query(SCHEMA).execute())
                    .compose(r -> conn.query(PostgresAppends.CREATE_FUNCTION).execute())
                    .mapEmpty());
        });
    }

    /** Empties every table (tests and fresh runs). */
    @Override
    public Future<Void> truncate() {
        return pool.query("TRUNCATE chats, messages, members, watermarks").execute().mapEmpty();
    }

    @Override
    public Future<StoreResult> apply(StoreOp op) {
        // text refuses NUL and UTF-8 loses lone surrogates: every string goes in escaped and comes back exact.
        return applyStorable(StoredText.encode(op)).map(StoredText::decode);
    }

    private Future<StoreResult> applyStorable(StoreOp op) {
        if (op instanceof StoreOp.ChatsOf of) {
            return chatsOf(of.user());
        } else if (op instanceof StoreOp.Claim claim) {
            return claim(claim);
        } else if (op instanceof StoreOp.Append append) {
            return appends.submit(append);
        } else if (op instanceof StoreOp.ReadRange range) {
            return readRange(range);
        } else if (op instanceof StoreOp.SetMember set) {
            return pool.withTransaction(conn -> setMember(conn, set));
        } else if (op instanceof StoreOp.RaiseWatermark mark) {
            return watermarks.submit(mark);
        }
        return Future.failedFuture(new IllegalArgumentException("unknown store op " + op));
    }

    @Override
    public Future<Void> seedChat(String chatId, List<String> memberIds) {
        String chat = StoredText.encode(chatId);
        List<Tuple> rows = new ArrayList<>();
        for (String user : StoredText.encode(memberIds)) {
            rows.add(Tuple.of(chat, user, (rows.isEmpty() ? MemberState.ADMIN : MemberState.MEMBER).name()));
        }
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_CHAT).execute(Tuple.of(chat))
                .compose(r -> rows.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(
                        "INSERT INTO members (chat, user_id, state) VALUES ($1, $2, $3) "
                                + "ON CONFLICT (chat, user_id) DO UPDATE SET state = EXCLUDED.state")
                        .executeBatch(rows))
                .mapEmpty());
    }

    private Future<StoreResult> claim(StoreOp.Claim claim) {
        if (claim.create()) {
            return pool.withTransaction(conn -> claim(conn, claim.chat()));
        }
        // A chat exists once it has a member or a message: asking about a made-up one writes nothing.
        return pool.withTransaction(conn -> conn.preparedQuery(
                        "SELECT EXISTS (SELECT 1 FROM members WHERE chat = $1) OR EXISTS (SELECT 1 FROM messages WHERE chat = $1)")
                .execute(Tuple.of(claim.chat()))
                .compose(rows -> rows.iterator().next().getBoolean(0)
                        ? claim(conn, claim.chat())
                        : Future.succeededFuture(new StoreResult.NoSuchChat(claim.chat()))));
    }

    private Future<StoreResult> claim(SqlConnection conn, String chat) {
        // The head is read by a statement after the one that takes the row: an append of the old
        // owner that held the row first has committed by then, and any later one is fenced.
        return conn.preparedQuery("""
                        INSERT INTO chats (chat, epoch) VALUES ($1, 1)
                        ON CONFLICT (chat) DO UPDATE SET epoch = chats.epoch + 1
                        RETURNING epoch""").execute(Tuple.of(chat))
                .compose(epoch -> conn.preparedQuery("SELECT " + HEAD_OF.formatted("$1")).execute(Tuple.of(chat))
                        .compose(head -> conn.preparedQuery("SELECT user_id, state FROM members WHERE chat = $1")
                                .execute(Tuple.of(chat))
                                .compose(members -> conn.preparedQuery("SELECT user_id, kind, seq FROM watermarks WHERE chat = $1")
                                        .execute(Tuple.of(chat))
                                        .map(marks -> claimed(chat, epoch.iterator().next().getLong(0),
                                                head.iterator().next().getLong(0), members, marks)))));
    }

    private static StoreResult claimed(String chat, long epoch, long head, RowSet<Row> memberRows, RowSet<Row> markRows) {
        Map<String, MemberState> members = new HashMap<>();
        for (Row row : memberRows) {
            members.put(row.getString(0), MemberState.valueOf(row.getString(1)));
        }
        Map<String, Long> delivered = new HashMap<>();
        Map<String, Long> read = new HashMap<>();
        for (Row row : markRows) {
            (ReceiptState.READ.name().equals(row.getString(1)) ? read : delivered).put(row.getString(0), row.getLong(2));
        }
        return new StoreResult.Claimed(chat, epoch, head, members, delivered, read);
    }

    private Future<StoreResult> readRange(StoreOp.ReadRange range) {
        // One statement, one snapshot: the newest seq and the page agree, so a message committed
        // meanwhile is never covered by upToSeq without being in the page.
        return pool.preparedQuery("""
                        SELECT h.last_seq, m.seq, m.sender, m.sender_device, m.cmid, m.body
                        FROM (SELECT %s AS last_seq) h
                        LEFT JOIN LATERAL (
                          SELECT seq, sender, sender_device, cmid, body FROM messages
                          WHERE chat = $1 AND seq > $2 ORDER BY seq LIMIT $3) m ON true
                        ORDER BY m.seq""".formatted(HEAD_OF.formatted("$1")))
                .execute(Tuple.of(range.chat(), range.afterSeq(), range.limit() + 1))
                .map(rows -> {
                    List<StoredMessage> page = new ArrayList<>();
                    long lastSeq = 0;
                    boolean more = false;
                    for (Row row : rows) {
                        lastSeq = row.getLong(0);
                        if (row.getLong(1) == null) {
                            continue;
                        }
                        if (page.size() == range.limit()) {
                            more = true;
                            break;
                        }
                        page.add(new StoredMessage(range.chat(), row.getLong(1), row.getString(2), row.getString(3),
                                row.getString(4), row.getString(5)));
                    }
                    long upTo = more ? page.get(page.size() - 1).seq() : Math.max(range.afterSeq(), lastSeq);
                    return new StoreResult.Range(range.chat(), page, upTo, more);
                });
    }

    private Future<StoreResult> setMember(SqlConnection conn, StoreOp.SetMember set) {
        return conn.preparedQuery(LOCK_CHAT).execute(Tuple.of(set.chat())).compose(headRows -> {
            long epoch = headRows.iterator().next().getLong(0);
            if (set.epoch() < epoch) {
                return Future.succeededFuture(new StoreResult.Fenced(set.chat(), epoch));
            }
            Future<RowSet<Row>> write = set.state() == null
                    ? conn.preparedQuery("DELETE FROM members WHERE chat = $1 AND user_id = $2")
                            .execute(Tuple.of(set.chat(), set.user()))
                    : conn.preparedQuery("INSERT INTO members (chat, user_id, state) VALUES ($1, $2, $3) "
                                    + "ON CONFLICT (chat, user_id) DO UPDATE SET state = EXCLUDED.state")
                            .execute(Tuple.of(set.chat(), set.user(), set.state().name()));
            return write.map(r -> new StoreResult.Done(set.chat()));
        });
    }

    private Future<StoreResult> chatsOf(String user) {
        return pool.preparedQuery("SELECT m.chat, " + HEAD_OF.formatted("m.chat") + " FROM members m WHERE m.user_id = $1")
                .execute(Tuple.of(user))
                .map(rows -> {
                    List<StoreResult.ChatHead> heads = new ArrayList<>();
                    for (Row row : rows) {
                        heads.add(new StoreResult.ChatHead(row.getString(0), row.getLong(1)));
                    }
                    // Java's order, not the database collation's: the in-memory store sorts the same way.
                    heads.sort(Comparator.comparing(StoreResult.ChatHead::chat));
                    return new StoreResult.Chats(user, heads);
                });
    }

    @Override
    public void close() {
        pool.close();
    }
}
