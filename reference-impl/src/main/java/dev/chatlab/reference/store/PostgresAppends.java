package dev.chatlab.reference.store;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Appends to PostgreSQL with group commit: every {@link StoreOp.Append} waiting when a writer is
 * free goes into one transaction, whatever its chat, so a thousand chats with a message each cost
 * one transaction of four statements rather than a thousand. Each append still gets its own
 * result, exactly as if it had run alone in the order submitted: fenced when its epoch is older
 * than the chat's, a retried (sender, cmid) answered with its existing seq, new messages stored
 * with their seq and the chat's head raised.
 *
 * <p>A batch that fails (a taken seq breaks the primary key and rolls the whole transaction back)
 * is run again one append per transaction, so only the broken append fails, as it would alone.
 * Chat rows are locked in one sorted statement, so concurrent batches (of this node or another)
 * never deadlock.
 *
 * <pre>{@code
 * PostgresAppends appends = new PostgresAppends(pool, 4);
 * appends.submit(new StoreOp.Append("c1", epoch, messages)).onSuccess(result -> ...);
 * }</pre>
 */
final class PostgresAppends {

    /** Appends one transaction takes at most; each append carries up to the protocol's batch of messages. */
    static final int APPENDS_PER_TRANSACTION_MAX = 512;

    /** Lock (creating at epoch 0, as the in-memory store does) the chat rows, in one order for every writer. */
    private static final String LOCK_CHATS = """
            INSERT INTO chats (chat, epoch, last_seq) SELECT c, 0, 0 FROM unnest($1::text[]) AS u(c) ORDER BY c
            ON CONFLICT (chat) DO UPDATE SET epoch = chats.epoch
            RETURNING chat, epoch, last_seq""";

    private static final String FIND_EXISTING = """
            SELECT m.chat, m.sender, m.cmid, m.seq FROM messages m
            JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(chat, sender, cmid)
              ON m.chat = k.chat AND m.sender = k.sender AND m.cmid = k.cmid""";

    private static final String INSERT_MESSAGES = """
            INSERT INTO messages (chat, seq, sender, sender_device, cmid, body)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])""";

    private static final String RAISE_HEADS = """
            UPDATE chats AS c SET last_seq = GREATEST(c.last_seq, v.last_seq)
            FROM unnest($1::text[], $2::bigint[]) AS v(chat, last_seq) WHERE c.chat = v.chat""";

    private final Pool pool;
    private final int writersMax;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int writers;

    private record Pending(StoreOp.Append op, Promise<StoreResult> result) {
    }

    /** {@code writersMax}: transactions in flight at once (each holds one pooled connection). */
    PostgresAppends(Pool pool, int writersMax) {
        this.pool = pool;
        this.writersMax = writersMax;
    }

    Future<StoreResult> submit(StoreOp.Append op) {
        Pending pending = new Pending(op, Promise.promise());
        List<Pending> batch;
        synchronized (this) {
            queue.add(pending);
            batch = takeBatch();
        }
        if (batch != null) {
            write(batch);
        }
        return pending.result().future();
    }

    /** The next batch if a writer is free, counting that writer as busy; callers hold the lock. */
    private List<Pending> takeBatch() {
        if (writers >= writersMax || queue.isEmpty()) {
            return null;
        }
        writers++;
        List<Pending> batch = new ArrayList<>(Math.min(queue.size(), APPENDS_PER_TRANSACTION_MAX));
        while (!queue.isEmpty() && batch.size() < APPENDS_PER_TRANSACTION_MAX) {
            batch.add(queue.poll());
        }
        return batch;
    }

    private void write(List<Pending> batch) {
        pool.withTransaction(conn -> appendAll(conn, batch)).onComplete(ar -> {
            if (ar.succeeded()) {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(ar.result().get(i));
                }
            } else if (batch.size() == 1) {
                batch.get(0).result().fail(ar.cause());
            } else {
                for (Pending alone : batch) {
                    pool.withTransaction(conn -> appendAll(conn, List.of(alone)))
                            .onComplete(one -> {
                                if (one.succeeded()) {
                                    alone.result().complete(one.result().get(0));
                                } else {
                                    alone.result().fail(one.cause());
                                }
                            });
                }
            }
            List<Pending> next;
            synchronized (this) {
                writers--;
                next = takeBatch();
            }
            if (next != null) {
                write(next);
            }
        });
    }

    /** One transaction for the whole batch: lock the chats and look up retried cmids, then insert and raise the heads. */
    private static Future<List<StoreResult>> appendAll(SqlConnection conn, List<Pending> batch) {
        TreeSet<String> chats = new TreeSet<>();
        List<String> keyChats = new ArrayList<>();
        List<String> keySenders = new ArrayList<>();
        List<String> keyCmids = new ArrayList<>();
        for (Pending p : batch) {
            chats.add(p.op().chat());
            for (StoreOp.NewMessage m : p.op().messages()) {
                keyChats.add(p.op().chat());
                keySenders.add(m.sender());
                keyCmids.add(m.cmid());
            }
        }
        // Sent together (pipelined); the server runs them in order, so the look-up sees the chats locked.
        Future<RowSet<Row>> heads = conn.preparedQuery(LOCK_CHATS).execute(Tuple.of(chats.toArray(new String[0])));
        Future<RowSet<Row>> existing = conn.preparedQuery(FIND_EXISTING).execute(Tuple.of(
                keyChats.toArray(new String[0]), keySenders.toArray(new String[0]), keyCmids.toArray(new String[0])));
        return Future.all(heads, existing).compose(both -> {
            Plan plan = Plan.of(batch, heads.result(), existing.result());
            if (plan.inserts.isEmpty()) {
                return Future.succeededFuture(plan.results);
            }
            // A taken seq breaks the primary key and rolls the whole transaction back: an owner under
            // the current epoch reused a seq, which the in-memory store also refuses.
            Future<RowSet<Row>> inserted = conn.preparedQuery(INSERT_MESSAGES).execute(plan.insertColumns());
            Future<RowSet<Row>> raised = conn.preparedQuery(RAISE_HEADS).execute(plan.headColumns());
            return Future.all(inserted, raised).map(done -> plan.results);
        });
    }

    private record NewRow(String chat, long seq, StoreOp.NewMessage message) {
    }

    /** What a batch writes and answers, worked out in memory from the locked heads and the cmids found. */
    private static final class Plan {
        final List<StoreResult> results = new ArrayList<>();
        final List<NewRow> inserts = new ArrayList<>();
        final Map<String, Long> epochs = new HashMap<>();
        final Map<String, Long> lastSeqs = new HashMap<>();
        final Map<String, Long> raisedHeads = new HashMap<>();

        static Plan of(List<Pending> batch, RowSet<Row> headRows, RowSet<Row> existingRows) {
            Plan plan = new Plan();
            for (Row row : headRows) {
                plan.epochs.put(row.getString(0), row.getLong(1));
                plan.lastSeqs.put(row.getString(0), row.getLong(2));
            }
            Map<String, Long> seqByKey = new HashMap<>();
            for (Row row : existingRows) {
                seqByKey.put(key(row.getString(0), row.getString(1), row.getString(2)), row.getLong(3));
            }
            for (Pending p : batch) {
                plan.results.add(plan.append(p.op(), seqByKey));
            }
            return plan;
        }

        private StoreResult append(StoreOp.Append op, Map<String, Long> seqByKey) {
            String chat = op.chat();
            long epoch = epochs.get(chat);
            if (op.epoch() < epoch) {
                return new StoreResult.Fenced(chat, epoch);
            }
            long lastSeq = lastSeqs.get(chat);
            List<StoreResult.Outcome> outcomes = new ArrayList<>(op.messages().size());
            for (StoreOp.NewMessage m : op.messages()) {
                String key = key(chat, m.sender(), m.cmid());
                Long seen = seqByKey.get(key);
                if (seen != null) {
                    outcomes.add(new StoreResult.Outcome(seen, true));
                    continue;
                }
                long seq = m.seq() == 0 ? lastSeq + 1 : m.seq();
                seqByKey.put(key, seq);
                lastSeq = Math.max(lastSeq, seq);
                inserts.add(new NewRow(chat, seq, m));
                outcomes.add(new StoreResult.Outcome(seq, false));
            }
            if (lastSeq > lastSeqs.get(chat)) {
                lastSeqs.put(chat, lastSeq);
                raisedHeads.put(chat, lastSeq);
            }
            return new StoreResult.Appended(chat, outcomes);
        }

        private static String key(String chat, String sender, String cmid) {
            return chat + '\u0000' + sender + '\u0000' + cmid;
        }

        Tuple insertColumns() {
            int n = inserts.size();
            String[] chats = new String[n];
            Long[] seqs = new Long[n];
            String[] senders = new String[n];
            String[] devices = new String[n];
            String[] cmids = new String[n];
            String[] bodies = new String[n];
            for (int i = 0; i < n; i++) {
                NewRow row = inserts.get(i);
                chats[i] = row.chat();
                seqs[i] = row.seq();
                senders[i] = row.message().sender();
                devices[i] = row.message().senderDevice();
                cmids[i] = row.message().cmid();
                bodies[i] = row.message().body();
            }
            return Tuple.of(chats, seqs, senders, devices, cmids, bodies);
        }

        Tuple headColumns() {
            String[] chats = raisedHeads.keySet().toArray(new String[0]);
            Long[] seqs = new Long[chats.length];
            for (int i = 0; i < chats.length; i++) {
                seqs[i] = raisedHeads.get(chats[i]);
            }
            return Tuple.of(chats, (Object) seqs);
        }
    }
}
