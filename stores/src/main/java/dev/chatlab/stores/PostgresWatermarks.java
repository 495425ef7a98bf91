package dev.chatlab.stores;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raises watermarks in PostgreSQL with group commit: every delivered or read receipt that raises
 * a user's watermark is a write, several per message in a group chat, and one upsert statement per
 * group of them costs PostgreSQL a fraction of one transaction each. A watermark only rises, so a
 * group keeps the greatest seq per (chat, user, kind), and its rows go in one order for every
 * writer (sorted), so that two nodes' groups lock them in the same order and never deadlock.
 *
 * <pre>{@code
 * PostgresWatermarks marks = new PostgresWatermarks(vertx, pool, 2, 1);
 * marks.submit(new StoreOp.RaiseWatermark("c1", "u1", ReceiptState.READ, 7)).onSuccess(done -> ...);
 * }</pre>
 */
final class PostgresWatermarks {

    /** Distinct watermarks one group writes at most. */
    static final int GROUP_MAX = 2048;

    static final String UPSERT = """
            INSERT INTO watermarks (chat, user_id, kind, seq)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
            ON CONFLICT (chat, user_id, kind) DO UPDATE SET seq = GREATEST(watermarks.seq, EXCLUDED.seq)""";

    private static final Comparator<StoreOp.RaiseWatermark> ROW_ORDER = Comparator
            .comparing(StoreOp.RaiseWatermark::chat)
            .thenComparing(StoreOp.RaiseWatermark::user)
            .thenComparing(mark -> mark.state().name());

    private final Pool pool;
    private final GroupCommit<StoreOp.RaiseWatermark, StoreResult> group;

    PostgresWatermarks(Vertx vertx, Pool pool, int writersMax, long lingerMillis) {
        this.pool = pool;
        this.group = new GroupCommit<>(vertx, writersMax, GROUP_MAX, PostgresAppends.BACKLOG_FOR_ANOTHER_WRITER,
                lingerMillis, this::raiseAll);
    }

    Future<StoreResult> submit(StoreOp.RaiseWatermark mark) {
        return group.submit(mark);
    }

    /** One statement for the whole group (package-private for the test that holds it to one). */
    Future<List<StoreResult>> raiseAll(List<StoreOp.RaiseWatermark> batch) {
        // ON CONFLICT may touch a row once a statement: one row per key, the greatest seq asked for.
        Map<StoreOp.RaiseWatermark, Long> rows = new TreeMap<>(ROW_ORDER);
        for (StoreOp.RaiseWatermark mark : batch) {
            rows.merge(mark, mark.seq(), Math::max);
        }
        int n = rows.size();
        String[] chats = new String[n];
        String[] users = new String[n];
        String[] kinds = new String[n];
        Long[] seqs = new Long[n];
        int i = 0;
        for (Map.Entry<StoreOp.RaiseWatermark, Long> row : rows.entrySet()) {
            chats[i] = row.getKey().chat();
            users[i] = row.getKey().user();
            kinds[i] = row.getKey().state().name();
            seqs[i] = row.getValue();
            i++;
        }
        return pool.preparedQuery(UPSERT).execute(Tuple.of(chats, users, kinds, seqs)).map(done -> {
            List<StoreResult> results = new ArrayList<>(batch.size());
            for (StoreOp.RaiseWatermark mark : batch) {
                results.add(new StoreResult.Done(mark.chat()));
            }
            return results;
        });
    }
}
