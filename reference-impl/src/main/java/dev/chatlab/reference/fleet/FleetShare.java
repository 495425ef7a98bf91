package dev.chatlab.reference.fleet;

import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.strategy.ReconnectPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The devices one fleet process drives, and everything it needs to drive them: the nodes to
 * connect to, the JWT secret, the devices' settings, its users (every device of a user lives in
 * one process, so a user's own actions never cross processes) and exactly those users' actions.
 * {@link #partition} cuts a run's plan into shares; {@link #write} and {@link #read} carry a share
 * to a worker process as a file (gzipped JSON lines: the settings first, then one action a line).
 *
 * <pre>{@code
 * List<FleetShare> shares = FleetShare.partition(plan, endpoints, secret, 2);
 * shares.get(1).write(dir.resolve("worker-2.plan.jsonl.gz"));
 * FleetShare again = FleetShare.read(dir.resolve("worker-2.plan.jsonl.gz"));
 * }</pre>
 *
 * @param seed           seeds the devices' random streams and the login spread
 * @param localAddresses source addresses to spread this process's sockets over
 */
public record FleetShare(List<String> endpoints, String secret, ClientConfig client, long seed,
                         List<String> localAddresses, List<String> users, List<String> devices,
                         List<RealDriver.TimedAction> actions) {

    public FleetShare {
        endpoints = List.copyOf(endpoints);
        localAddresses = List.copyOf(localAddresses);
        users = List.copyOf(users);
        devices = List.copyOf(devices);
        actions = List.copyOf(actions);
    }

    public int deviceCount() {
        return users.size() * devices.size();
    }

    /** The whole plan as one share (a fleet in one process). */
    public static FleetShare whole(RealDriver.Plan plan, List<String> endpoints, String secret) {
        return new FleetShare(endpoints, secret, plan.client(), plan.seed(),
                RealDriver.localAddresses(plan.users().size() * plan.devices().size(), 1),
                plan.users(), plan.devices(), plan.actions());
    }

    /**
     * Cuts the plan into {@code processes} shares by user: the i-th user (in the plan's order) goes
     * to share i mod processes, with all its devices and all its actions. Each share gets source
     * addresses of its own (127.0.0.x), so the processes do not compete for the same client ports,
     * and a seed of its own, drawn from the plan's.
     */
    public static List<FleetShare> partition(RealDriver.Plan plan, List<String> endpoints, String secret, int processes) {
        if (processes < 1) {
            throw new IllegalArgumentException("a fleet needs at least one process, not " + processes);
        }
        List<List<String>> users = new ArrayList<>();
        List<List<RealDriver.TimedAction>> actions = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            users.add(new ArrayList<>());
            actions.add(new ArrayList<>());
        }
        Map<String, Integer> shareOf = new HashMap<>();
        for (int i = 0; i < plan.users().size(); i++) {
            shareOf.put(plan.users().get(i), i % processes);
            users.get(i % processes).add(plan.users().get(i));
        }
        for (RealDriver.TimedAction a : plan.actions()) {
            Integer p = shareOf.get(a.user());
            if (p == null) {
                throw new IllegalArgumentException("an action of user '" + a.user() + "', who is not in the plan");
            }
            actions.get(p).add(a);
        }
        List<FleetShare> shares = new ArrayList<>();
        int nextAddress = 1;
        for (int p = 0; p < processes; p++) {
            List<String> addresses = RealDriver.localAddresses(users.get(p).size() * plan.devices().size(), nextAddress);
            nextAddress += addresses.size();
            shares.add(new FleetShare(endpoints, secret, plan.client(), plan.seed() * 31 + p, addresses,
                    users.get(p), plan.devices(), actions.get(p)));
        }
        return shares;
    }

    // ---- the file a worker reads ---------------------------------------------------------------

    public void write(Path file) throws IOException {
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
            JsonObject head = new JsonObject()
                    .put("endpoints", new JsonArray(new ArrayList<Object>(endpoints)))
                    .put("secret", secret)
                    .put("client", clientJson(client))
                    .put("seed", seed)
                    .put("local_addresses", new JsonArray(new ArrayList<Object>(localAddresses)))
                    .put("users", new JsonArray(new ArrayList<Object>(users)))
                    .put("devices", new JsonArray(new ArrayList<Object>(devices)))
                    .put("actions", actions.size());
            out.write(head.encode());
            out.newLine();
            for (RealDriver.TimedAction a : actions) {
                out.write(actionJson(a).encode());
                out.newLine();
            }
        }
    }

    public static FleetShare read(Path file) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
            String first = in.readLine();
            if (first == null) {
                throw new IOException(file + " is empty: expected a fleet share's settings on its first line");
            }
            JsonObject head = new JsonObject(first);
            int count = head.getInteger("actions");
            List<RealDriver.TimedAction> actions = new ArrayList<>(count);
            String line;
            while ((line = in.readLine()) != null) {
                actions.add(action(new JsonObject(line)));
            }
            if (actions.size() != count) {
                throw new IOException(file + " holds " + actions.size() + " actions, its first line announced " + count);
            }
            return new FleetShare(strings(head.getJsonArray("endpoints")), head.getString("secret"),
                    client(head.getJsonObject("client")), head.getLong("seed"),
                    strings(head.getJsonArray("local_addresses")), strings(head.getJsonArray("users")),
                    strings(head.getJsonArray("devices")), actions);
        }
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        for (Object o : array) {
            out.add((String) o);
        }
        return out;
    }

    private static JsonObject clientJson(ClientConfig c) {
        ReconnectPolicy policy = c.reconnect();
        JsonObject reconnect;
        if (policy instanceof ReconnectPolicy.Immediate i) {
            reconnect = new JsonObject().put("kind", "immediate").put("pause_us", i.pauseMicros());
        } else if (policy instanceof ReconnectPolicy.UniformJitter j) {
            reconnect = new JsonObject().put("kind", "jitter").put("window_us", j.windowMicros());
        } else {
            ReconnectPolicy.DecorrelatedBackoff b = (ReconnectPolicy.DecorrelatedBackoff) policy;
            reconnect = new JsonObject().put("kind", "backoff").put("base_us", b.baseMicros()).put("cap_us", b.capMicros());
        }
        return new JsonObject().put("contiguous_seqs", c.contiguousSeqs()).put("reconnect", reconnect)
                .put("heartbeat_us", c.heartbeatMicros()).put("ack_timeout_us", c.ackTimeoutMicros())
                .put("hole_wait_us", c.holeWaitMicros()).put("sync_page_max", c.syncPageMax())
                .put("outbox_max", c.outboxMax()).put("buffer_max", c.bufferMax());
    }

    private static ClientConfig client(JsonObject j) {
        JsonObject r = j.getJsonObject("reconnect");
        ReconnectPolicy reconnect = switch (r.getString("kind")) {
            case "immediate" -> new ReconnectPolicy.Immediate(r.getLong("pause_us"));
            case "jitter" -> new ReconnectPolicy.UniformJitter(r.getLong("window_us"));
            case "backoff" -> new ReconnectPolicy.DecorrelatedBackoff(r.getLong("base_us"), r.getLong("cap_us"));
            default -> throw new IllegalArgumentException("unknown reconnect policy '" + r.getString("kind") + "'");
        };
        return new ClientConfig(j.getBoolean("contiguous_seqs"), reconnect, j.getLong("heartbeat_us"),
                j.getLong("ack_timeout_us"), j.getLong("hole_wait_us"), j.getInteger("sync_page_max"),
                j.getInteger("outbox_max"), j.getInteger("buffer_max"));
    }

    private static JsonObject actionJson(RealDriver.TimedAction a) {
        JsonObject j = new JsonObject().put("at", a.atMicros()).put("user", a.user()).put("device", a.device());
        UserAction action = a.action();
        if (action instanceof UserAction.GoOnline) {
            j.put("do", "online");
        } else if (action instanceof UserAction.GoOffline) {
            j.put("do", "offline");
        } else if (action instanceof UserAction.SendMessage m) {
            j.put("do", "send").put("chat", m.chat()).put("cmid", m.cmid()).put("body", m.body());
        } else if (action instanceof UserAction.ReadChat r) {
            j.put("do", "read").put("chat", r.chat());
        } else if (action instanceof UserAction.Type t) {
            j.put("do", "type").put("chat", t.chat());
        } else if (action instanceof UserAction.ChangeMembership c) {
            j.put("do", "member").put("chat", c.chat()).put("member", c.user()).put("op", c.op().name());
        } else if (action instanceof UserAction.WatchPresence w) {
            j.put("do", "watch").put("users", new JsonArray(new ArrayList<Object>(w.users())));
        } else {
            throw new IllegalArgumentException("no file form for the action " + action);
        }
        return j;
    }

    private static RealDriver.TimedAction action(JsonObject j) {
        UserAction action = switch (j.getString("do")) {
            case "online" -> new UserAction.GoOnline();
            case "offline" -> new UserAction.GoOffline();
            case "send" -> new UserAction.SendMessage(j.getString("chat"), j.getString("cmid"), j.getString("body"));
            case "read" -> new UserAction.ReadChat(j.getString("chat"));
            case "type" -> new UserAction.Type(j.getString("chat"));
            case "member" -> new UserAction.ChangeMembership(j.getString("chat"), j.getString("member"),
                    HistoryEvent.MemberOp.valueOf(j.getString("op")));
            case "watch" -> new UserAction.WatchPresence(strings(j.getJsonArray("users")));
            default -> throw new IllegalArgumentException("unknown action '" + j.getString("do") + "'");
        };
        return new RealDriver.TimedAction(j.getLong("at"), j.getString("user"), j.getString("device"), action);
    }
}
