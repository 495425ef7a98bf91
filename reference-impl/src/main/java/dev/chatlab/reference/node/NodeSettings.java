package dev.chatlab.reference.node;

import dev.chatlab.core.protocol.FrameCodec;
import dev.chatlab.core.server.ServerConfig;

/**
 * What one chat node needs to know to start: who it is, where it listens, the shared JWT secret,
 * its limits and the protocol's strategies.
 *
 * <pre>{@code
 * NodeSettings settings = NodeSettings.defaults("n1", 1, 7001, secret).withRateLimit(50, 100);
 * }</pre>
 *
 * @param nodeId          the node's name in the cluster view (n1, n2...): owners are hashed over these
 * @param nodeNumber      a small number unique per node (Snowflake ids carry it)
 * @param host            address the WebSocket and HTTP server binds
 * @param port            port of the WebSocket ({@code /ws}) and HTTP endpoints; 0 picks a free one
 * @param jwtSecret       HS256 secret shared with whoever issues tokens
 * @param frameCharsMax   longest text frame accepted; longer ones get error frame-too-large
 * @param ratePerSecond   frames a connection may send per second, sustained
 * @param rateBurst       frames a connection may send at once above the rate
 * @param epochMillis     wall-clock time that is microsecond 0 of the run (shared by the nodes and the fleet)
 * @param pushLogMax      pushes the node's push sink keeps for reading back; older ones are dropped (and counted)
 * @param server          the protocol's strategies and limits
 */
public record NodeSettings(String nodeId, long nodeNumber, String host, int port, String jwtSecret,
                           int frameCharsMax, double ratePerSecond, int rateBurst, long epochMillis, int pushLogMax,
                           ServerConfig server) {

    public static NodeSettings defaults(String nodeId, long nodeNumber, int port, String jwtSecret) {
        return new NodeSettings(nodeId, nodeNumber, "127.0.0.1", port, jwtSecret, FrameCodec.FRAME_CHARS_MAX_DEFAULT,
                200, 400, System.currentTimeMillis(), 100_000, ServerConfig.defaults());
    }

    public NodeSettings withRateLimit(double perSecond, int burst) {
        return new NodeSettings(nodeId, nodeNumber, host, port, jwtSecret, frameCharsMax, perSecond, burst, epochMillis,
                pushLogMax, server);
    }

    public NodeSettings withFrameCharsMax(int max) {
        return new NodeSettings(nodeId, nodeNumber, host, port, jwtSecret, max, ratePerSecond, rateBurst, epochMillis,
                pushLogMax, server);
    }

    public NodeSettings withEpochMillis(long epoch) {
        return new NodeSettings(nodeId, nodeNumber, host, port, jwtSecret, frameCharsMax, ratePerSecond, rateBurst, epoch,
                pushLogMax, server);
    }

    public NodeSettings withServer(ServerConfig config) {
        return new NodeSettings(nodeId, nodeNumber, host, port, jwtSecret, frameCharsMax, ratePerSecond, rateBurst,
                epochMillis, pushLogMax, config);
    }

    public NodeSettings withHost(String bindHost) {
        return new NodeSettings(nodeId, nodeNumber, bindHost, port, jwtSecret, frameCharsMax, ratePerSecond, rateBurst,
                epochMillis, pushLogMax, server);
    }
}
