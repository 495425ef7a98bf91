package dev.chatlab.scenarios.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a chat node's work costs at the simulator's full level: {@code cores} that work queues
 * on (first come, first served), the accept backlog (connection attempts waiting for their set-up
 * beyond it are refused), and service times per connection set-up, per device frame kind and per
 * peer message kind. Kinds are the lower-case simple names of chat-core's {@code Frame} and
 * {@code PeerMessage} classes ({@code send}, {@code submit}); a kind not listed costs the default.
 *
 * <pre>{@code
 * NodeCosts costs = ModelFile.parse("models/local-node.yaml", text).node();
 * long micros = costs.frame("send").sampleMicros(random);
 * }</pre>
 *
 * @param source where the numbers came from: a model file's path, or {@code inline}
 */
public record NodeCosts(String source, int cores, int acceptBacklog, ServiceTime connect,
                        Map<String, ServiceTime> frames, ServiceTime frameDefault,
                        Map<String, ServiceTime> peers, ServiceTime peerDefault) {

    /** A node needs at least one core; more than this is a typo, not a machine. */
    public static final int CORES_MAX = 1024;

    public NodeCosts {
        frames = Map.copyOf(frames);
        peers = Map.copyOf(peers);
        if (cores < 1 || cores > CORES_MAX) {
            throw new IllegalArgumentException("cores: expected 1 to " + CORES_MAX + ", got " + cores);
        }
        if (acceptBacklog < 0) {
            throw new IllegalArgumentException("accept_backlog: expected 0 or more, got " + acceptBacklog);
        }
    }

    public ServiceTime frame(String kind) {
        return frames.getOrDefault(kind, frameDefault);
    }

    public ServiceTime peer(String kind) {
        return peers.getOrDefault(kind, peerDefault);
    }

    /** In the model file's words, kinds sorted: a run's settings embed it. */
    public Map<String, Object> words() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        out.put("cores", cores);
        out.put("accept_backlog", acceptBacklog);
        out.put("connect", connect.words());
        out.put("frame", words(frames));
        out.put("frame_default", frameDefault.words());
        out.put("peer", words(peers));
        out.put("peer_default", peerDefault.words());
        return out;
    }

    static Map<String, Object> words(Map<String, ServiceTime> kinds) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ServiceTime> e : new TreeMap<>(kinds).entrySet()) {
            out.put(e.getKey(), e.getValue().words());
        }
        return out;
    }
}
