package dev.chatlab.stores;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Appends to PostgreSQL with group commit: every {@link StoreOp.Append} waiting when a writer is
 * free goes into one statement, whatever its chat, so a thousand chats with a message each cost
 * one call of a server-side function ({@link #FUNCTION}, created with the schema) rather than a
 * thousand transactions. Each append still gets its own result, exactly as if it had run alone in
 * the order submitted: fenced when its epoch is older than the chat's, a retried (sender, cmid)
 * answered with its existing seq, new messages stored with their seq (which raises the chat's
 * head: the greatest seq stored).
 *
 * <p>The function locks the chat rows ({@code SELECT ... FOR UPDATE}, in one order for every
 * writer, so concurrent groups of this node or another never deadlock, and a claim's new epoch
 * fences what comes after it), looks up the retried cmids, works out every append's outcome and
 * inserts the new messages: one round trip per group, and no chat row rewritten. A group that fails (a taken seq
 * breaks the primary key and rolls the whole statement back) is run again one append per call,
 * so only the broken append fails, as it would alone.
 *
 * <pre>{@code
 * PostgresAppends appends = new PostgresAppends(vertx, pool, 4, 1);
 * appends.submit(new StoreOp.Append("c1", epoch, messages)).onSuccess(result -> ...);
 * }</pre>
 */
final class PostgresAppends {

    /** Appends one group takes at most; each append carries up to the protocol's batch of messages. */
    static final int APPENDS_PER_TRANSACTION_MAX = 512;

    /** Appends waiting that start a group while another is still being written. */
    static final int BACKLOG_FOR_ANOTHER_WRITER = 64;

    /** The server-side function one group calls; a new definition gets a new name, so an old store is upgraded. */
    static final String FUNCTION = "chatlab_append_v1";

    /**
     * Its definition. Arguments: the group's distinct chats ({@code h_chat}); per append, in the
     * order submitted, its chat's index in {@code h_chat}, its epoch and the index of its last
     * message; per message, its chat, seq (0: the store counts), sender, device, cmid, body and the
     * index of the previous message of the same group with the same (chat, sender, cmid), 0 if none
     * (arrays are 1-based); and whether the group is simple (every seq given by the owner, no
     * (chat, sender, cmid) twice), which lets it be stored without the per-message pass. Answers
     * per append the chat's epoch (an older one means fenced) and per message its seq and whether
     * it existed already (0 and false for a fenced append's).
     */
    static final String CREATE_FUNCTION = """
            CREATE OR REPLACE FUNCTION chatlab_append_v1(
              h_chat text[], a_head int[], a_epoch bigint[], a_end int[],
              m_chat text[], m_seq bigint[], m_sender text[], m_device text[], m_cmid text[], m_body text[], m_prev int[],
              simple boolean,
              OUT r_epoch bigint[], OUT r_seq bigint[], OUT r_dup boolean[])
            LANGUAGE plpgsql
            -- The chats table is small and full of dead row versions (every group updates its rows): a
            -- sequential scan of it, which the planner prefers for a small table, costs far more than
            -- an index probe per chat. And the statements' plans are made once per connection, not at
            -- every call (planning them cost more than running them for a group of a dozen messages).
            SET enable_seqscan = off
            SET plan_cache_mode = force_generic_plan
            AS $fn$
            DECLARE
              h_n int := cardinality(h_chat);
              a_n int := cardinality(a_head);
              m_n int := cardinality(m_cmid);
              h_epoch bigint[];
              h_last bigint[];
              seen bigint[];
              unfenced boolean;
              stored bigint[] := array_fill(0::bigint, ARRAY[m_n]);
              fresh boolean[] := array_fill(false, ARRAY[m_n]);
              first int := 1;
              h int;
              head bigint;
              known bigint;
              s bigint;
            BEGIN
              -- Lock the chat rows in the caller's order (sorted): every writer takes them in the same order.
              SELECT array_agg(l.epoch ORDER BY k.i) INTO h_epoch
                FROM unnest(h_chat) WITH ORDINALITY AS k(chat, i)
                CROSS JOIN LATERAL (SELECT epoch FROM chats WHERE chat = k.chat FOR UPDATE) l;
              IF coalesce(cardinality(h_epoch), 0) < h_n THEN
                -- A chat never claimed is created at epoch 0, as the in-memory store does. (Rare: two
                -- groups creating chats at once may deadlock; PostgreSQL aborts one, which is re-run
                -- one append at a time.)
                INSERT INTO chats (chat, epoch) SELECT c, 0 FROM unnest(h_chat) AS u(c)
                  ON CONFLICT (chat) DO NOTHING;
                SELECT array_agg(l.epoch ORDER BY k.i) INTO h_epoch
                  FROM unnest(h_chat) WITH ORDINALITY AS k(chat, i)
                  CROSS JOIN LATERAL (SELECT epoch FROM chats WHERE chat = k.chat FOR UPDATE) l;
              END IF;
              SELECT array_agg(h_epoch[u.h] ORDER BY u.i), bool_and(u.e >= h_epoch[u.h]) INTO r_epoch, unfenced
                FROM unnest(a_head, a_epoch) WITH ORDINALITY AS u(h, e, i);
              IF simple AND unfenced THEN
                -- The common group: no append fenced, every seq the owner's, no (sender, cmid) twice in it.
                -- Stored as given unless a cmid exists already (a retry): then the unique index refuses
                -- the insert and the general path below answers it. Nothing else is written: a chat's
                -- head is the greatest seq of its messages.
                BEGIN
                  INSERT INTO messages (chat, seq, sender, sender_device, cmid, body)
                    SELECT * FROM unnest(m_chat, m_seq, m_sender, m_device, m_cmid, m_body);
                  r_seq := m_seq;
                  r_dup := array_fill(false, ARRAY[m_n]);
                  RETURN;
                EXCEPTION WHEN unique_violation THEN
                  NULL;
                END;
              END IF;
              -- Each chat's head, read by a statement of its own after the rows are locked, so it sees
              -- every message of a writer that held a row before this one.
              SELECT array_agg((SELECT coalesce(max(x.seq), 0) FROM messages x WHERE x.chat = k.chat) ORDER BY k.i) INTO h_last
                FROM unnest(h_chat) WITH ORDINALITY AS k(chat, i);
              -- The seq of every (chat, sender, cmid) stored before this group, 0 if none.
              SELECT array_agg(coalesce(m.seq, 0) ORDER BY k.i) INTO seen
                FROM unnest(m_chat, m_sender, m_cmid) WITH ORDINALITY AS k(chat, sender, cmid, i)
                LEFT JOIN messages m ON m.chat = k.chat AND m.sender = k.sender AND m.cmid = k.cmid;
              r_seq := array_fill(0::bigint, ARRAY[m_n]);
              r_dup := array_fill(false, ARRAY[m_n]);
              FOR a IN 1 .. a_n LOOP
                h := a_head[a];
                IF a_epoch[a] < h_epoch[h] THEN
                  -- Fenced: nothing stored, so a later message with the same key sees only what was before.
                  FOR i IN first .. a_end[a] LOOP
                    stored[i] := CASE WHEN seen[i] > 0 THEN seen[i] WHEN m_prev[i] > 0 THEN stored[m_prev[i]] ELSE 0 END;
                  END LOOP;
                ELSE
                  head := h_last[h];
                  FOR i IN first .. a_end[a] LOOP
                    known := CASE WHEN seen[i] > 0 THEN seen[i] WHEN m_prev[i] > 0 THEN stored[m_prev[i]] ELSE 0 END;
                    IF known > 0 THEN
                      r_seq[i] := known;
                      r_dup[i] := true;
                      stored[i] := known;
                    ELSE
                      s := CASE WHEN m_seq[i] = 0 THEN head + 1 ELSE m_seq[i] END;
                      r_seq[i] := s;
                      stored[i] := s;
                      fresh[i] := true;
                      head := greatest(head, s);
                    END IF;
                  END LOOP;
                  h_last[h] := head;
                END IF;
                first := a_end[a] + 1;
              END LOOP;
              -- A taken seq breaks the primary key and rolls the whole statement back: an owner under
              -- the current epoch reused a seq, which the in-memory store also refuses.
              INSERT INTO messages (chat, seq, sender, sender_device, cmid, body)
                SELECT u.chat, u.seq, u.sender, u.device, u.cmid, u.body
                FROM unnest(m_chat, r_seq, m_sender, m_device, m_cmid, m_body, fresh)
                  AS u(chat, seq, sender, device, cmid, body, fresh)
                WHERE u.fresh;
            END
            $fn$""";

    private static final String CALL = "SELECT r_epoch, r_seq, r_dup FROM " + FUNCTION
            + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

    private final Pool pool;
    private final GroupCommit<StoreOp.Append, StoreResult> group;

    /**
     * {@code writersMax}: groups in flight at once (each holds one pooled connection);
     * {@code lingerMillis}: how long an append may wait for others to join its group while no group
     * is being written (0: none).
     */
    PostgresAppends(Vertx vertx, Pool pool, int writersMax, long lingerMillis) {
        this.pool = pool;
        // A group costs PostgreSQL a fixed ~0.2 ms whatever its size, so fewer, larger groups cost less CPU.
        this.group = new GroupCommit<>(vertx, writersMax, APPENDS_PER_TRANSACTION_MAX, BACKLOG_FOR_ANOTHER_WRITER,
                lingerMillis, this::appendAll);
    }

    Future<StoreResult> submit(StoreOp.Append op) {
        return group.submit(op);
    }

    /** One call of the function for the whole batch, in one implicit transaction. */
    private Future<List<StoreResult>> appendAll(List<StoreOp.Append> batch) {
        Call call = Call.of(batch);
        return pool.preparedQuery(CALL).execute(call.arguments()).map(rows -> call.results(rows.iterator().next()));
    }

    /** A message's identity: a retried send carries the same one. */
    private record Key(String chat, String sender, String cmid) {
    }

    /** The function's arguments for a batch, and the reading of its answer. */
    private record Call(List<StoreOp.Append> batch, Tuple arguments) {

        static Call of(List<StoreOp.Append> batch) {
            TreeSet<String> sorted = new TreeSet<>();
            int messages = 0;
            for (StoreOp.Append op : batch) {
                sorted.add(op.chat());
                messages += op.messages().size();
            }
            String[] headChats = sorted.toArray(new String[0]);
            Map<String, Integer> headOf = new HashMap<>(headChats.length * 2);
            for (int h = 0; h < headChats.length; h++) {
                headOf.put(headChats[h], h + 1);
            }
            Integer[] appendHeads = new Integer[batch.size()];
            Long[] appendEpochs = new Long[batch.size()];
            Integer[] appendEnds = new Integer[batch.size()];
            String[] chats = new String[messages];
            Long[] seqs = new Long[messages];
            String[] senders = new String[messages];
            String[] devices = new String[messages];
            String[] cmids = new String[messages];
            String[] bodies = new String[messages];
            Integer[] previous = new Integer[messages];
            Map<Key, Integer> lastWithKey = new HashMap<>();
            boolean simple = true;
            int i = 0;
            for (int a = 0; a < batch.size(); a++) {
                StoreOp.Append op = batch.get(a);
                appendHeads[a] = headOf.get(op.chat());
                appendEpochs[a] = op.epoch();
                for (StoreOp.NewMessage m : op.messages()) {
                    chats[i] = op.chat();
                    seqs[i] = m.seq();
                    senders[i] = m.sender();
                    devices[i] = m.senderDevice();
                    cmids[i] = m.cmid();
                    bodies[i] = m.body();
                    i++;
                    Integer before = lastWithKey.put(new Key(op.chat(), m.sender(), m.cmid()), i);
                    previous[i - 1] = before == null ? 0 : before;
                    simple &= before == null && m.seq() != 0;
                }
                appendEnds[a] = i;
            }
            return new Call(batch, Tuple.from(new Object[] {
                    headChats, appendHeads, appendEpochs, appendEnds, chats, seqs, senders, devices, cmids, bodies, previous, simple}));
        }

        List<StoreResult> results(Row row) {
            Long[] epochs = row.getArrayOfLongs(0);
            Long[] seqs = row.getArrayOfLongs(1);
            Boolean[] duplicates = row.getArrayOfBooleans(2);
            List<StoreResult> results = new ArrayList<>(batch.size());
            int i = 0;
            for (int a = 0; a < batch.size(); a++) {
                StoreOp.Append op = batch.get(a);
                int n = op.messages().size();
                if (op.epoch() < epochs[a]) {
                    results.add(new StoreResult.Fenced(op.chat(), epochs[a]));
                } else {
                    List<StoreResult.Outcome> outcomes = new ArrayList<>(n);
                    for (int k = i; k < i + n; k++) {
                        outcomes.add(new StoreResult.Outcome(seqs[k], duplicates[k]));
                    }
                    results.add(new StoreResult.Appended(op.chat(), outcomes));
                }
                i += n;
            }
            return results;
        }
    }
}
