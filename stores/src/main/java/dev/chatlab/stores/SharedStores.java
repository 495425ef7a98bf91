package dev.chatlab.stores;

import io.vertx.core.Vertx;

import java.util.Arrays;
import java.util.List;

/**
 * A shared store by its address, so that a node, a seeder and a check need only the string a
 * cluster records: {@code postgresql://user@host:port/db} is one PostgreSQL server; several such
 * URLs joined by commas are a sharded PostgreSQL, each chat on the shard its id hashes to (the
 * order of the URLs is the shard numbering, so every process must list them in the same order);
 * {@code cassandra://host:port[,host:port]/keyspace} is a Cassandra (or ScyllaDB) cluster.
 *
 * <pre>{@code
 * SharedStore store = SharedStores.connect(vertx, "postgresql://postgres@127.0.0.1:5432/postgres", 8);
 * SharedStore sharded = SharedStores.connect(vertx, url1 + "," + url2, 8);
 * }</pre>
 */
public final class SharedStores {

    private SharedStores() {
    }

    public static SharedStore connect(Vertx vertx, String address, int connectionsMax) {
        return connect(vertx, address, connectionsMax, PostgresChatStore.LINGER_MILLIS_DEFAULT);
    }

    /** {@code connectionsMax} per server; {@code lingerMillis}: PostgreSQL's group-commit linger. */
    public static SharedStore connect(Vertx vertx, String address, int connectionsMax, long lingerMillis) {
        if (address.startsWith("cassandra://")) {
            return CassandraChatStore.connect(vertx, address);
        }
        List<String> shards = shardsOf(address);
        if (shards.size() == 1) {
            return PostgresChatStore.connect(vertx, shards.get(0), connectionsMax, lingerMillis);
        }
        return ShardedPostgresChatStore.connect(vertx, shards, connectionsMax, lingerMillis);
    }

    /** The servers of an address: one URL, or the URLs of a sharded store in shard order. */
    public static List<String> shardsOf(String address) {
        List<String> urls = Arrays.stream(address.split(",")).map(String::trim).toList();
        for (String url : urls) {
            if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
                throw new IllegalArgumentException("a store address is postgresql://user@host:port/db, or several joined by"
                        + " commas (sharded); got '" + url + "' in '" + address + "'");
            }
        }
        return urls;
    }

    /** The address of a sharded store on these servers, in shard order. */
    public static String shardedAddress(List<String> urls) {
        return String.join(",", urls);
    }
}
