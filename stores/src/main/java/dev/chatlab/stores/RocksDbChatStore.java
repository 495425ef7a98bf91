package dev.chatlab.stores;

import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.store.MemberState;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.store.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node-local LSM store (RocksDB) behind the same {@link ChatStore} interface: the "chats pinned
 * to a home node" topology, where a chat lives on one node's disk and is unavailable while that
 * node is down. Calls run on one worker thread (RocksDB's API blocks), each op as one atomic
 * {@link WriteBatch}, so the semantics are those of the in-memory store.
 *
 * <pre>{@code
 * try (RocksDbChatStore store = RocksDbChatStore.open(vertx, Path.of("run/n1/rocks"))) {
 *     store.apply(new StoreOp.Claim("c1", "n1")).onSuccess(...);
 * }
 * }</pre>
 *
 * <p>Keys: {@code h|chat} (epoch, last seq), {@code m|chat|seq} (a message; seq big-endian so
 * that keys sort by seq), {@code k|chat|sender|cmid} (the seq of a message), {@code u|chat|user}
 * (member state), {@code U|user|chat} (the user's chats), {@code w|chat|user|kind} (watermark).
 */
public final class RocksDbChatStore implements ChatStore {

    static {
        RocksDB.loadLibrary();
    }

    private static final char SEP = '\u0000';

    private final RocksDB db;
    private final Options options;
    private final WriteOptions writeOptions;
    private final WorkerExecutor worker;

    private RocksDbChatStore(RocksDB db, Options options, WorkerExecutor worker, Durability durability) {
        this.db = db;
        this.options = options;
        this.worker = worker;
        // Every write goes to the WAL, handed to the operating system before it is acknowledged: that
        // survives a crash of the process even at MEMORY (RocksDB has no cheaper setting short of no
        // WAL at all); FSYNC syncs the WAL first.
        this.writeOptions = new WriteOptions().setSync(durability == Durability.FSYNC);
    }

    /** Where node {@code node} of a cluster keeps its database, under the cluster's data folder. */
    public static Path nodeDir(Path dataDir, String node) {
        return dataDir.resolve(node + "-rocksdb");
    }

    public static RocksDbChatStore open(Vertx vertx, Path dir) {
        return open(vertx, dir, Durability.MEMORY);
    }

    public static RocksDbChatStore open(Vertx vertx, Path dir, Durability durability) {
        try {
            Files.createDirectories(dir);
            Options options = new Options().setCreateIfMissing(true);
            RocksDB db = RocksDB.open(options, dir.toString());
            return new RocksDbChatStore(db, options, vertx.createSharedWorkerExecutor("chatlab-rocksdb-" + dir, 1),
                    durability);
        } catch (RocksDBException | IOException e) {
            throw new IllegalStateException("could not open RocksDB at " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Future<StoreResult> apply(StoreOp op) {
        // Keys join their parts with NUL: every string goes in escaped (no NUL, no lone surrogate) and comes back exact.
        StoreOp storable = StoredText.encode(op);
        return worker.executeBlocking(() -> StoredText.decode(applyNow(storable)), true);
    }

    @Override
    public Future<Void> seedChat(String chatId, List<String> memberIds) {
        String chat = StoredText.encode(chatId);
        List<String> members = StoredText.encode(memberIds);
        return worker.executeBlocking(() -> {
            synchronized (this) {
                try (WriteBatch batch = new WriteBatch()) {
                    boolean first = true;
                    for (String user : members) {
                        setMember(batch, chat, user, first ? MemberState.ADMIN : MemberState.MEMBER);
                        first = false;
                    }
                    db.write(writeOptions, batch);
                }
                return null;
            }
        }, true);
    }

    private synchronized StoreResult applyNow(StoreOp op) throws RocksDBException {
        if (op instanceof StoreOp.ChatsOf of) {
            List<StoreResult.ChatHead> heads = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : scan("U" + SEP + of.user() + SEP).entrySet()) {
                heads.add(new StoreResult.ChatHead(e.getKey(), head(e.getKey())[1]));
            }
            heads.sort(Comparator.comparing(StoreResult.ChatHead::chat));
            return new StoreResult.Chats(of.user(), heads);
        }
        String chat = op.chat();
        if (op instanceof StoreOp.Claim claim && !claim.create()
                && !hasAny("u" + SEP + chat + SEP) && !hasAny("m" + SEP + chat + SEP)) {
            // A chat exists once it has a member or a message: asking about a made-up one writes nothing.
            return new StoreResult.NoSuchChat(chat);
        }
        long[] head = head(chat);
        if (op instanceof StoreOp.Claim) {
            head[0]++;
            db.put(writeOptions, key("h", chat), longs(head));
            Map<String, MemberState> members = new HashMap<>();
            for (Map.Entry<String, byte[]> e : scan("u" + SEP + chat + SEP).entrySet()) {
                members.put(e.getKey(), MemberState.valueOf(new String(e.getValue(), StandardCharsets.UTF_8)));
            }
            Map<String, Long> delivered = new HashMap<>();
            Map<String, Long> read = new HashMap<>();
            for (Map.Entry<String, byte[]> e : scan("w" + SEP + chat + SEP).entrySet()) {
                int sep = e.getKey().lastIndexOf(SEP);
                String user = e.getKey().substring(0, sep);
                boolean isRead = e.getKey().substring(sep + 1).equals(ReceiptState.READ.name());
                (isRead ? read : delivered).put(user, ByteBuffer.wrap(e.getValue()).getLong());
            }
            return new StoreResult.Claimed(chat, head[0], head[1], members, delivered, read);
        } else if (op instanceof StoreOp.Append append) {
            if (append.epoch() < head[0]) {
                return new StoreResult.Fenced(chat, head[0]);
            }
            List<StoreResult.Outcome> outcomes = new ArrayList<>();
            Map<String, Long> inBatch = new HashMap<>();
            try (WriteBatch batch = new WriteBatch()) {
                for (StoreOp.NewMessage m : append.messages()) {
                    byte[] cmidKey = key("k", chat, m.sender(), m.cmid());
                    Long existing = inBatch.get(m.sender() + SEP + m.cmid());
                    if (existing == null) {
                        byte[] stored = db.get(cmidKey);
                        existing = stored == null ? null : ByteBuffer.wrap(stored).getLong();
                    }
                    if (existing != null) {
                        outcomes.add(new StoreResult.Outcome(existing, true));
                        continue;
                    }
                    long seq = m.seq() == 0 ? head[1] + 1 : m.seq();
                    byte[] messageKey = messageKey(chat, seq);
                    if (db.get(messageKey) != null || inBatch.containsValue(seq)) {
                        throw new IllegalStateException("seq " + seq + " of chat " + chat
                                + " is taken: an owner under the current epoch reused it");
                    }
                    batch.put(messageKey, encode(m));
                    batch.put(cmidKey, ByteBuffer.allocate(8).putLong(seq).array());
                    inBatch.put(m.sender() + SEP + m.cmid(), seq);
                    head[1] = Math.max(head[1], seq);
                    outcomes.add(new StoreResult.Outcome(seq, false));
                }
                batch.put(key("h", chat), longs(head));
                db.write(writeOptions, batch);
            }
            return new StoreResult.Appended(chat, outcomes);
        } else if (op instanceof StoreOp.ReadRange range) {
            List<StoredMessage> page = new ArrayList<>();
            boolean more = false;
            byte[] prefix = key("m", chat, "");
            try (RocksIterator it = db.newIterator()) {
                for (it.seek(messageKey(chat, range.afterSeq() + 1)); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                    if (page.size() == range.limit()) {
                        more = true;
                        break;
                    }
                    long seq = ByteBuffer.wrap(it.key(), prefix.length, 8).getLong();
                    page.add(decode(chat, seq, it.value()));
                }
            }
            long upTo = more ? page.get(page.size() - 1).seq() : Math.max(range.afterSeq(), head[1]);
            return new StoreResult.Range(chat, page, upTo, more);
        } else if (op instanceof StoreOp.SetMember set) {
            if (set.epoch() < head[0]) {
                return new StoreResult.Fenced(chat, head[0]);
            }
            try (WriteBatch batch = new WriteBatch()) {
                setMember(batch, chat, set.user(), set.state());
                db.write(writeOptions, batch);
            }
            return new StoreResult.Done(chat);
        } else if (op instanceof StoreOp.RaiseWatermark mark) {
            byte[] k = key("w", chat, mark.user(), mark.state().name());
            byte[] old = db.get(k);
            if (old == null || ByteBuffer.wrap(old).getLong() < mark.seq()) {
                db.put(writeOptions, k, ByteBuffer.allocate(8).putLong(mark.seq()).array());
            }
            return new StoreResult.Done(chat);
        }
        throw new IllegalArgumentException("unknown store op " + op);
    }

    private void setMember(WriteBatch batch, String chat, String user, MemberState state) throws RocksDBException {
        if (state == null) {
            batch.delete(key("u", chat, user));
            batch.delete(key("U", user, chat));
        } else {
            batch.put(key("u", chat, user), state.name().getBytes(StandardCharsets.UTF_8));
            batch.put(key("U", user, chat), new byte[0]);
        }
    }

    /** {epoch, lastSeq} of a chat; zeros for a chat never seen. */
    private long[] head(String chat) throws RocksDBException {
        byte[] v = db.get(key("h", chat));
        if (v == null) {
            return new long[] {0, 0};
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        return new long[] {b.getLong(), b.getLong()};
    }

    /** Every key under {@code prefix}, with the prefix cut off, and its value. */
    private Map<String, byte[]> scan(String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> out = new HashMap<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(p); it.isValid() && startsWith(it.key(), p); it.next()) {
                out.put(new String(it.key(), p.length, it.key().length - p.length, StandardCharsets.UTF_8), it.value());
            }
        }
        return out;
    }

    private boolean hasAny(String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        try (RocksIterator it = db.newIterator()) {
            it.seek(p);
            return it.isValid() && startsWith(it.key(), p);
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] key(String kind, String... parts) {
        return (kind + SEP + String.join(String.valueOf(SEP), parts)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] messageKey(String chat, long seq) {
        byte[] prefix = key("m", chat, "");
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(seq).array();
    }

    private static byte[] longs(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    /**
     * A message's value: a zero length (no sender id is empty, so an older value never starts so),
     * then sender, device, cmid and body, each an int length and UTF-8. (Older values were four
     * {@code writeUTF}s, which cannot hold a body beyond 65,535 bytes: read, never written.)
     */
    private static byte[] encode(StoreOp.NewMessage m) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeShort(0);
            for (String field : List.of(m.sender(), m.senderDevice(), m.cmid(), m.body())) {
                byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StoredMessage decode(String chat, long seq, byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            if (value.length < 2 || value[0] != 0 || value[1] != 0) {
                return new StoredMessage(chat, seq, in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF());
            }
            in.readShort();
            String[] fields = new String[4];
            for (int i = 0; i < fields.length; i++) {
                byte[] utf8 = new byte[in.readInt()];
                in.readFully(utf8);
                fields[i] = new String(utf8, StandardCharsets.UTF_8);
            }
            return new StoredMessage(chat, seq, fields[0], fields[1], fields[2], fields[3]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            writeOptions.close();
            db.close();
            options.close();
        }
        worker.close();
    }
}
