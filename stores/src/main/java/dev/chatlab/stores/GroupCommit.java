package dev.chatlab.stores;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Group commit for a database whose every statement costs a fixed part whatever its size: the
 * operations waiting when a writer is free go into one write, so a thousand operations cost one
 * round trip and one transaction rather than a thousand. Each operation still gets its own result.
 * A group that fails is written again one operation per write, so only an operation that fails
 * alone fails.
 *
 * <pre>{@code
 * GroupCommit<Op, Result> group = new GroupCommit<>(vertx, "appends", 2, 512, 64, 1, ops -> writeInOneStatement(ops));
 * group.submit(op).onSuccess(result -> ...);
 * }</pre>
 */
final class GroupCommit<T, R> {

    private final Vertx vertx;
    private final int writersMax;
    private final int groupMax;
    private final int backlogForAnotherWriter;
    private final long lingerNanos;
    /** Writes a group in one statement; answers one result per operation, in the group's order. */
    private final Function<List<T>, Future<List<R>>> writeAll;
    private final ArrayDeque<Pending<T, R>> queue = new ArrayDeque<>();
    private int writers;
    private boolean lingering;

    private record Pending<T, R>(T op, Promise<R> result, long queuedNanos) {
    }

    /**
     * {@code writersMax}: groups in flight at once (each holds one pooled connection);
     * {@code groupMax}: operations a group takes at most; {@code backlogForAnotherWriter}: waiting
     * operations that start a group while another is still being written; {@code lingerMillis}: how
     * long an operation may wait for others to join its group while no group is being written (0: none).
     */
    GroupCommit(Vertx vertx, int writersMax, int groupMax, int backlogForAnotherWriter, long lingerMillis,
                Function<List<T>, Future<List<R>>> writeAll) {
        this.vertx = vertx;
        this.writersMax = writersMax;
        this.groupMax = groupMax;
        this.backlogForAnotherWriter = backlogForAnotherWriter;
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMillis);
        this.writeAll = writeAll;
    }

    Future<R> submit(T op) {
        Pending<T, R> pending = new Pending<>(op, Promise.promise(), System.nanoTime());
        List<Pending<T, R>> batch;
        synchronized (this) {
            queue.add(pending);
            batch = takeBatch();
        }
        if (batch != null) {
            write(batch);
        }
        return pending.result().future();
    }

    /** The next batch if a writer is free, counting that writer as busy; callers hold the lock. */
    private List<Pending<T, R>> takeBatch() {
        if (writers >= writersMax || queue.isEmpty()) {
            return null;
        }
        // While a group is being written, the next waits for it unless a backlog builds up: fewer,
        // larger groups cost the database less CPU.
        if (writers > 0 && queue.size() < backlogForAnotherWriter) {
            return null;
        }
        // With no group being written, a lone operation would make a group of one: it waits a moment
        // for others (under load they come within the moment; the oldest never waits longer).
        if (writers == 0 && queue.size() < backlogForAnotherWriter && lingerNanos > 0) {
            long left = lingerNanos - (System.nanoTime() - queue.peek().queuedNanos());
            if (left > 0) {
                lingerFor(left);
                return null;
            }
        }
        writers++;
        List<Pending<T, R>> batch = new ArrayList<>(Math.min(queue.size(), groupMax));
        while (!queue.isEmpty() && batch.size() < groupMax) {
            batch.add(queue.poll());
        }
        return batch;
    }

    /** Takes the group when the oldest operation has waited its moment; callers hold the lock. */
    private void lingerFor(long nanos) {
        if (lingering) {
            return;
        }
        lingering = true;
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)), id -> {
            List<Pending<T, R>> batch;
            synchronized (this) {
                lingering = false;
                batch = takeBatch();
            }
            if (batch != null) {
                write(batch);
            }
        });
    }

    private void write(List<Pending<T, R>> batch) {
        writeAll(batch).onComplete(ar -> {
            if (ar.succeeded()) {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(ar.result().get(i));
                }
            } else if (batch.size() == 1) {
                batch.get(0).result().fail(ar.cause());
            } else {
                for (Pending<T, R> alone : batch) {
                    writeAll(List.of(alone)).onComplete(one -> {
                        if (one.succeeded()) {
                            alone.result().complete(one.result().get(0));
                        } else {
                            alone.result().fail(one.cause());
                        }
                    });
                }
            }
            List<Pending<T, R>> next;
            synchronized (this) {
                writers--;
                next = takeBatch();
            }
            if (next != null) {
                write(next);
            }
        });
    }

    private Future<List<R>> writeAll(List<Pending<T, R>> batch) {
        List<T> ops = new ArrayList<>(batch.size());
        for (Pending<T, R> p : batch) {
            ops.add(p.op());
        }
        Future<List<R>> written;
        try {
            written = writeAll.apply(ops);
        } catch (RuntimeException e) {
            written = Future.failedFuture(e);
        }
        return written;
    }
}
