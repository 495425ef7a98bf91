package dev.chatlab.stores;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;

/** Waits for Vert.x futures in the store tests: a failed future, or one not done within 20 s, fails the test. */
final class Futures {

    private Futures() {
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
