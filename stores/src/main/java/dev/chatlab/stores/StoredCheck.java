package dev.chatlab.stores;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.store.StoredMessage;
import io.vertx.core.Vertx;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads single messages back from a cluster's PostgreSQL, as a {@code sync} from the store would
 * return them: what a run that names a lost message uses to show the message is really stored
 * (and so really missing from the devices named), not an artefact of the recording.
 *
 * <pre>{@code
 * Map<String, StoredMessage> found = StoredCheck.read(cluster.storeUrl(), List.of(new StoredCheck.Key("c8", 12)));
 * }</pre>
 */
public final class StoredCheck {

    /** A message by chat and seq. */
    public record Key(String chat, long seq) {
        @Override
        public String toString() {
            return chat + "#" + seq;
        }
    }

    private StoredCheck() {
    }

    /** The stored message of each key, or null where the store has none; keys in the order given. */
    public static Map<Key, StoredMessage> read(String url, Iterable<Key> keys) {
        Vertx vertx = Vertx.vertx();
        Map<Key, StoredMessage> out = new LinkedHashMap<>();
        try (SharedStore store = SharedStores.connect(vertx, url, 1)) {
            for (Key key : keys) {
                StoreResult result = store.apply(new StoreOp.ReadRange(key.chat(), key.seq() - 1, 1))
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                StoredMessage found = null;
                if (result instanceof StoreResult.Range range) {
                    for (StoredMessage m : range.messages()) {
                        if (m.seq() == key.seq()) {
                            found = m;
                        }
                    }
                }
                out.put(key, found);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not read messages back from " + url + ": " + e.getMessage(), e);
        } finally {
            vertx.close();
        }
        return out;
    }
}
