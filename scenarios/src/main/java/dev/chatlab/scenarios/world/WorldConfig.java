package dev.chatlab.scenarios.world;

import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.server.ServerConfig;
import dev.chatlab.scenarios.model.NodeCosts;
import dev.chatlab.sim.net.LinkProfile;

import java.util.List;

/**
 * Everything a {@link ChatWorld} is built from: the chat nodes, the protocol's settings, the
 * links, the store model, and how fast membership and connections notice trouble.
 *
 * <pre>{@code
 * WorldConfig config = WorldConfig.defaults(List.of("n1", "n2", "n3"))
 *         .withStore(StoreModel.btree());
 * }</pre>
 *
 * @param nodes                  chat node names, {@code n1..nN}
 * @param server                 the nodes' strategies and limits
 * @param client                 the devices' settings
 * @param clientLink             device to node and back
 * @param nodeLink               node to node
 * @param storeLink              node to the shared store and back
 * @param store                  the store's cost model
 * @param failureDetectionMicros how long membership takes to notice a crash, a partition or a heal
 * @param connectTimeoutMicros   a device gives up on a connection attempt that got no answer after this long
 * @param costs                  what the chat nodes' work costs on their cores, or null: work is free and instant
 */
public record WorldConfig(List<String> nodes, ServerConfig server, ClientConfig client, LinkProfile clientLink,
                          LinkProfile nodeLink, LinkProfile storeLink, StoreModel store, long failureDetectionMicros,
                          long connectTimeoutMicros, NodeCosts costs) {

    /** Nodes whose work is free. */
    public WorldConfig(List<String> nodes, ServerConfig server, ClientConfig client, LinkProfile clientLink,
                       LinkProfile nodeLink, LinkProfile storeLink, StoreModel store, long failureDetectionMicros,
                       long connectTimeoutMicros) {
        this(nodes, server, client, clientLink, nodeLink, storeLink, store, failureDetectionMicros, connectTimeoutMicros,
                null);
    }

    public WorldConfig {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a world needs at least one chat node");
        }
    }

    public static WorldConfig defaults(List<String> nodes) {
        return new WorldConfig(nodes, ServerConfig.defaults(), ClientConfig.defaults(), LinkProfile.wan(),
                LinkProfile.lan(), LinkProfile.lan(), StoreModel.lsm(), 500_000, 3_000_000);
    }

    public WorldConfig withStore(StoreModel model) {
        return new WorldConfig(nodes, server, client, clientLink, nodeLink, storeLink, model, failureDetectionMicros,
                connectTimeoutMicros, costs);
    }

    public WorldConfig withServer(ServerConfig s) {
        return new WorldConfig(nodes, s, client, clientLink, nodeLink, storeLink, store, failureDetectionMicros,
                connectTimeoutMicros, costs);
    }

    /** With the chat nodes' work costing {@code c} (null: free). */
    public WorldConfig withCosts(NodeCosts c) {
        return new WorldConfig(nodes, server, client, clientLink, nodeLink, storeLink, store, failureDetectionMicros,
                connectTimeoutMicros, c);
    }

    public WorldConfig withClient(ClientConfig c) {
        return new WorldConfig(nodes, server, c, clientLink, nodeLink, storeLink, store, failureDetectionMicros,
                connectTimeoutMicros, costs);
    }
}
