package dev.chatlab.reference.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The live chat nodes, from Hazelcast's member list: each member carries its chat-node name in
 * the attribute {@value #NODE_ATTRIBUTE}, and is listed once it has written itself into the map
 * {@value #READY_MAP} (after its event-bus address is registered, so no early message is lost). A name that comes back under a new member id (a node
 * killed and restarted before the others noticed) is reported as gone and then back, so the
 * state machines treat it as the new incarnation it is.
 *
 * <pre>{@code
 * Config config = HazelcastMembership.config("chatlab", "n1", "127.0.0.1", 5701, List.of("127.0.0.1:5701", "127.0.0.1:5702"));
 * HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
 * Vertx vertx = Vertx.builder().withClusterManager(new HazelcastClusterManager(hz)).buildClustered().await();
 * new HazelcastMembership(hz).start(nodes -> ...);
 * }</pre>
 */
public final class HazelcastMembership implements Membership {

    public static final String NODE_ATTRIBUTE = "chatlab.node";
    /** Node name to member id, written by each node once other nodes can reach it. */
    public static final String READY_MAP = "chatlab.ready-nodes";

    private final HazelcastInstance hazelcast;
    private final Map<String, UUID> incarnations = new HashMap<>();
    private Consumer<List<String>> onChange;

    public HazelcastMembership(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    /**
     * Vert.x's Hazelcast settings with TCP/IP join on {@code host} (loopback by default; a real
     * host's address for a cluster across machines), multicast off, no wait before joining, and
     * a dead member noticed within about five seconds.
     */
    public static Config config(String clusterName, String nodeName, String host, int port, List<String> members) {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.policy", "TERMINATE");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeName);
        // Vert.x finds its own node id here when it is handed a ready Hazelcast instance.
        config.getMemberAttributeConfig().setAttribute("__vertx.nodeId", UUID.randomUUID().toString());
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(host);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(members));
        return config;
    }

    @Override
    public void start(Consumer<List<String>> listener) {
        this.onChange = listener;
        IMap<String, String> ready = hazelcast.getMap(READY_MAP);
        ready.addEntryListener((EntryAddedListener<String, String>) e -> report(), false);
        ready.addEntryListener((EntryUpdatedListener<String, String>) e -> report(), false);
        Member self = hazelcast.getCluster().getLocalMember();
        ready.put(self.getAttribute(NODE_ATTRIBUTE), self.getUuid().toString());
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                report();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                report();
            }
        });
        report();
    }

    private synchronized void report() {
        Map<String, UUID> now = new HashMap<>();
        Map<String, String> ready = new HashMap<>(hazelcast.<String, String>getMap(READY_MAP));
        for (Member member : hazelcast.getCluster().getMembers()) {
            String name = member.getAttribute(NODE_ATTRIBUTE);
            // Listed only once it said it can be reached, under this incarnation's member id.
            if (name != null && member.getUuid().toString().equals(ready.get(name))) {
                now.put(name, member.getUuid());
            }
        }
        TreeSet<String> restarted = new TreeSet<>();
        for (Map.Entry<String, UUID> e : now.entrySet()) {
            UUID before = incarnations.get(e.getKey());
            if (before != null && !before.equals(e.getValue())) {
                restarted.add(e.getKey());
            }
        }
        if (!restarted.isEmpty()) {
            TreeSet<String> without = new TreeSet<>(now.keySet());
            without.removeAll(restarted);
            onChange.accept(List.copyOf(without));
        }
        incarnations.clear();
        incarnations.putAll(now);
        onChange.accept(List.copyOf(new TreeSet<>(now.keySet())));
    }
}
