package dev.chatlab.scenarios.world;

import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.server.PeerMessage;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;

/**
 * The messages that travel over the simulated network between devices, chat nodes and the
 * store. A device's connection is a session id: every frame names it, so a frame of a session
 * that has since closed is recognised and dropped by either end.
 */
final class Wire {

    private Wire() {
    }

    /** Device to node: open a connection (the TCP handshake). */
    record Open(long session) {
    }

    /** Node to device: the connection is open. */
    record Accepted(long session) {
    }

    /** Device to node: a protocol frame. */
    record ToServer(long session, Frame frame) {
    }

    /** Node to device: a protocol frame. */
    record ToDevice(long session, Frame frame) {
    }

    /** Device to node: the device closed the connection. */
    record Close(long session) {
    }

    /** Node to device: the connection closed (the node closed it, or its host died and the kernel reset it). */
    record Closed(long session, String reason) {
    }

    /** Node to node. */
    record Peer(PeerMessage message) {
    }

    /** Node to store; {@code incarnation} lets the node drop the replies meant for its previous life. */
    record StoreRequest(int incarnation, long requestId, StoreOp op) {
    }

    /** Store to node. */
    record StoreReply(int incarnation, long requestId, StoreResult result) {
    }

    /** A device timer the protocol set. */
    record ClientTimer(String name) {
    }

    /** A node timer the protocol set. */
    record ServerTimer(String name) {
    }

    /** A node's queued work on {@code message} from {@code from} is done: its effects happen now. */
    record Work(int from, Object message) {
    }

    /** A frame to or from a device has been through the fleet's loop: it takes effect, or leaves, now. */
    record FleetFrame(Object message) {
    }

    /** A device's connection attempt got no answer in time. */
    record ConnectTimeout(long session) {
    }

    /** A device's connection attempt was refused (no node, or the node is down). */
    record Refused(long session, String reason) {
    }
}
