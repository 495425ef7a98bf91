package dev.chatlab.checker.collect;

/**
 * A key's bytes packed (see {@link PackedBytes}) and its hash, worked out once by a table's
 * {@code pack}: a batch of events works them out while it finds where its keys lie ({@code
 * place}) and hands them to the look-up itself ({@code intern}), which would otherwise read and
 * hash the same bytes again. Reused from batch to batch.
 *
 * <pre>{@code
 * PackedKey key = new PackedKey();
 * chats.pack(key, 0, bytes, from, length);
 * long hint = chats.read(chats.place(key));          // the slot's cache line, early
 * int chat = chats.intern(key, 0, bytes, from, length);
 * }</pre>
 */
public final class PackedKey {

    /** Bytes 0-7 of a short key, 0 for a long one. */
    long low;
    /** Bytes 8-15 of a short key (with the lengths, for a pair), 0 for a long one. */
    long high;
    int hash;
}
