package dev.chatlab.reference;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;

/** Waits for Vert.x futures in tests: a failed future, or one not done within 20 s, fails the test. */
public final class Futures {

    private Futures() {
    }

    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
