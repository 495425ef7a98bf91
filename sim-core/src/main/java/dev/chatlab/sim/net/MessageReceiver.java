package dev.chatlab.sim.net;

/** Where a {@link SimNetwork} hands the messages it delivers. {@code SimNodes} is the usual one. */
@FunctionalInterface
public interface MessageReceiver {

    /** {@code message} from node {@code from} arrives at node {@code to}, now. */
    void receive(int from, int to, Object message);
}
