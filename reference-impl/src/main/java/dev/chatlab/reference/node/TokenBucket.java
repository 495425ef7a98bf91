package dev.chatlab.reference.node;

/**
 * A per-connection rate limit: {@code ratePerSecond} tokens flow in, at most {@code burst} are
 * kept, and each frame takes one. Time comes in as an argument so that tests can drive it.
 *
 * <pre>{@code
 * TokenBucket bucket = new TokenBucket(50, 100, System.nanoTime());
 * if (!bucket.tryTake(System.nanoTime())) { answer rate-limited }
 * }</pre>
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    public boolean tryTake(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
