package dev.chatlab.reference.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The live chat nodes from presence keys in Redis, the second implementation beside
 * {@link HazelcastMembership}: each node holds {@code PREFIX:node:NAME} (its incarnation id) with
 * a TTL ({@code SET ... PX ttl}), refreshed by a heartbeat every third of it, and writes its
 * last-seen time into the hash {@code PREFIX:last-seen}; a node whose key expired is gone. Every
 * node reads the keys of the names in {@code PREFIX:nodes} a few times a second and lists a peer
 * once its own link has reached it ({@code probe}), as Hazelcast's membership waits for the event
 * bus. A name back under a new incarnation (killed and restarted within the TTL) is reported gone
 * and then back. Redis unreachable: the last view stays, and a restarted (empty) Redis is filled
 * again by the next heartbeats.
 *
 * <pre>{@code
 * Membership members = new RedisMembership(vertx, redis, "chatlab-1a2b", "n1", 3_000, tcpPeers::probe);
 * members.start(nodes -> node.onClusterView(...));
 * }</pre>
 */
public final class RedisMembership implements Membership {

    /** Between two reads of the presence keys: a join is seen within this, a death within the TTL and this. */
    static final long POLL_MILLIS = 250;

    private final Vertx vertx;
    private final Redis redis;
    private final String prefix;
    private final String self;
    private final long ttlMillis;
    private final BiFunction<String, Long, Future<?>> probe;
    private final String incarnation = UUID.randomUUID().toString();
    private final IncarnationViews views;
    /** Incarnations this node's link has reached: only those are put in the view. */
    private final Set<String> reachable = ConcurrentHashMap.newKeySet();
    private final Set<String> probing = ConcurrentHashMap.newKeySet();
    private Consumer<List<String>> onChange;
    private boolean polling;

    public RedisMembership(Vertx vertx, Redis redis, String clusterName, String self, long ttlMillis,
                           BiFunction<String, Long, Future<?>> probe) {
        if (ttlMillis < 300) {
            throw new IllegalArgumentException("a presence TTL below 300 ms would expire between heartbeats; got " + ttlMillis);
        }
        this.vertx = vertx;
        this.redis = redis;
        this.prefix = "chatlab:" + clusterName + ":";
        this.self = self;
        this.ttlMillis = ttlMillis;
        this.probe = probe;
        this.views = new IncarnationViews(self);
    }

    @Override
    public void start(Consumer<List<String>> listener) {
        this.onChange = listener;
        views.report(Map.of(self, incarnation), onChange);
        heartbeat().onComplete(done -> poll());
        vertx.setPeriodic(Math.max(100, ttlMillis / 3), id -> heartbeat());
        vertx.setPeriodic(POLL_MILLIS, id -> poll());
    }

    private Future<List<Response>> heartbeat() {
        return redis.batch(List.of(
                Request.cmd(Command.SET).arg(prefix + "node:" + self).arg(incarnation).arg("PX").arg(ttlMillis),
                Request.cmd(Command.SADD).arg(prefix + "nodes").arg(self),
                Request.cmd(Command.HSET).arg(prefix + "last-seen").arg(self).arg(System.currentTimeMillis())));
    }

    /** Each node's last heartbeat, in milliseconds of the epoch, as Redis holds them (also of nodes gone since). */
    public Future<Map<String, Long>> lastSeen() {
        return redis.send(Request.cmd(Command.HGETALL).arg(prefix + "last-seen")).map(all -> {
            Map<String, Long> out = new TreeMap<>();
            for (String name : all.getKeys()) {
                out.put(name, all.get(name).toLong());
            }
            return out;
        });
    }

    private void poll() {
        if (polling) {
            return;
        }
        polling = true;
        redis.send(Request.cmd(Command.SMEMBERS).arg(prefix + "nodes")).compose(members -> {
            List<String> names = new ArrayList<>();
            members.forEach(m -> names.add(m.toString()));
            if (names.isEmpty()) {
                return Future.succeededFuture(Map.<String, String>of());
            }
            Request get = Request.cmd(Command.MGET);
            names.forEach(name -> get.arg(prefix + "node:" + name));
            return redis.send(get).map(values -> {
                Map<String, String> alive = new TreeMap<>();
                for (int i = 0; i < names.size(); i++) {
                    Response value = values.get(i);
                    if (value != null) {
                        alive.put(names.get(i), value.toString());
                    }
                }
                return alive;
            });
        }).onComplete(read -> {
            polling = false;
            // Redis unreachable: nothing is known to have changed, so the last view stays.
            if (read.succeeded()) {
                report(read.result());
            }
        });
    }

    private synchronized void report(Map<String, String> alive) {
        Map<String, String> now = new TreeMap<>();
        now.put(self, incarnation);
        for (Map.Entry<String, String> e : alive.entrySet()) {
            if (e.getKey().equals(self)) {
                continue;
            }
            if (!reachable.contains(e.getValue())) {
                reach(e.getKey(), e.getValue());
                continue;
            }
            now.put(e.getKey(), e.getValue());
        }
        if (!views.unchanged(now)) {
            views.report(now, onChange);
        }
    }

    private void reach(String name, String id) {
        if (!probing.add(id)) {
            return;
        }
        probe.apply(name, 1_000L).onComplete(ar -> {
            probing.remove(id);
            if (ar.succeeded()) {
                reachable.add(id);
            }
        });
    }

    /** Removes this node's presence key, so the others see it leave now rather than after the TTL. */
    public Future<Void> leave() {
        return redis.send(Request.cmd(Command.DEL).arg(prefix + "node:" + self)).mapEmpty();
    }
}
