package dev.chatlab.sim.net;

import dev.chatlab.sim.random.DelayDistribution;

/**
 * How one directed link behaves: a latency distribution, an optional jitter added to each
 * latency draw, a loss probability, and whether the link keeps order.
 *
 * <p>An ordered link ({@code fifo}, the default) models a TCP connection: a message is never
 * delivered before the one sent ahead of it on the same link, so a fast draw waits behind a slow
 * one. An unordered link models datagrams: each message takes its own latency.
 *
 * <pre>{@code
 * LinkProfile lan = LinkProfile.lan();                                  // ~200 us, ordered
 * LinkProfile flaky = LinkProfile.of(DelayDistribution.logNormal(30_000, 0.4))
 *         .withJitter(DelayDistribution.uniform(0, 5_000))
 *         .withLoss(0.01)
 *         .unordered();
 * network.setLink(0, 1, flaky);
 * }</pre>
 */
public record LinkProfile(DelayDistribution latency, DelayDistribution jitter, double lossProbability, boolean fifo) {

    private static final DelayDistribution NO_JITTER = DelayDistribution.constant(0);

    public LinkProfile {
        if (latency == null) {
            throw new IllegalArgumentException("a link needs a latency distribution");
        }
        if (jitter == null) {
            jitter = NO_JITTER;
        }
        if (!(lossProbability >= 0 && lossProbability <= 1)) {
            throw new IllegalArgumentException("loss probability must be in [0, 1]: " + lossProbability);
        }
    }

    /** An ordered, lossless link with this latency and no jitter. */
    public static LinkProfile of(DelayDistribution latency) {
        return new LinkProfile(latency, NO_JITTER, 0, true);
    }

    /** A data-centre link: 150 us plus up to 100 us of jitter, ordered, lossless. */
    public static LinkProfile lan() {
        return new LinkProfile(DelayDistribution.constant(150), DelayDistribution.uniform(0, 100), 0, true);
    }

    /** A client on the internet: log-normal latency with a 40 ms median, ordered, lossless. */
    public static LinkProfile wan() {
        return of(DelayDistribution.logNormal(40_000, 0.3).cappedAt(2_000_000));
    }

    public LinkProfile withLatency(DelayDistribution newLatency) {
        return new LinkProfile(newLatency, jitter, lossProbability, fifo);
    }

    public LinkProfile withJitter(DelayDistribution newJitter) {
        return new LinkProfile(latency, newJitter, lossProbability, fifo);
    }

    public LinkProfile withLoss(double probability) {
        return new LinkProfile(latency, jitter, probability, fifo);
    }

    /** Datagrams: each message takes its own latency, so later messages may overtake earlier ones. */
    public LinkProfile unordered() {
        return new LinkProfile(latency, jitter, lossProbability, false);
    }

    public LinkProfile ordered() {
        return new LinkProfile(latency, jitter, lossProbability, true);
    }

    boolean hasJitter() {
        return jitter != NO_JITTER;
    }
}
