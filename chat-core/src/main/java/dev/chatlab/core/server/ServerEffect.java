package dev.chatlab.core.server;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.StoreOp;

/** What a {@link ChatServerNode} asks its host to do. The host performs each and feeds results back. */
public sealed interface ServerEffect {

    /** Write a frame to a device's session. */
    record SendFrame(long session, Frame frame) implements ServerEffect {
    }

    /** Close a device's session (the node has already forgotten it). */
    record CloseSession(long session, String reason) implements ServerEffect {
    }

    /** Send a message to another node (or to this one: hosts may short-cut). */
    record Route(String node, PeerMessage message) implements ServerEffect {
    }

    /** Publish to every node subscribed to {@code topic}. */
    record Publish(String topic, PeerMessage message) implements ServerEffect {
    }

    record Subscribe(String topic) implements ServerEffect {
    }

    record Unsubscribe(String topic) implements ServerEffect {
    }

    /** Run a store operation and call {@link ChatServerNode#onStored} with {@code requestId} and its result. */
    record Store(long requestId, StoreOp op) implements ServerEffect {
    }

    /** Hand a notification for an offline user to the push sink. */
    record Push(String user, String chat, long seq, String from) implements ServerEffect {
    }

    /** Call {@link ChatServerNode#onTimer} at {@code atMicros}. */
    record SetTimer(String timer, long atMicros) implements ServerEffect {
    }

    /** Append an event to the run's history. */
    record Record(HistoryEvent event) implements ServerEffect {
    }
}
