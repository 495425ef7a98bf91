package dev.chatlab.core.strategy;

/** How a node reaches devices held by other nodes. */
public enum Routing {
    /** Node to node: the sender looks the device's node up in its replica of the device directory. */
    DIRECT,
    /** Publish to a per-user topic that the nodes holding that user's devices subscribe to. */
    PUBSUB
}
