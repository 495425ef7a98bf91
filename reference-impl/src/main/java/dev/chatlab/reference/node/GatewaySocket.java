package dev.chatlab.reference.node;

/**
 * One client's WebSocket as the node sees it once the upgrade is done: text out, a bounded write
 * queue, a close with a code. Every call happens on the node's event loop.
 */
interface GatewaySocket {

    void sendText(String text);

    /** True when more than the gateway's write-queue bound is waiting to reach the client. */
    boolean writeQueueFull();

    boolean isClosed();

    void close(short code, String reason);

    /** What the gateway tells the node about one socket, on the node's event loop. */
    interface Listener {

        void text(String text);

        void binary();

        void closed();
    }
}
