package dev.chatlab.sim.net;

/**
 * Which nodes are up and in which incarnation, as the network sees it. A message addressed to
 * a node that is down is refused at send; one addressed to an incarnation that has since died is
 * discarded on arrival (the connection it travelled on died with the process).
 */
public interface Liveness {

    /** Every node is up, in incarnation 0: a network without processes. */
    Liveness ALWAYS_UP = new Liveness() {
        @Override
        public boolean isUp(int node) {
            return true;
        }

        @Override
        public int incarnation(int node) {
            return 0;
        }
    };

    boolean isUp(int node);

    /** Grows by one each time the node crashes. */
    int incarnation(int node);
}
