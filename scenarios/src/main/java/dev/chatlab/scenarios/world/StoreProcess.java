package dev.chatlab.scenarios.world;

import dev.chatlab.core.store.InMemoryChatStore;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.sim.node.NodeContext;
import dev.chatlab.sim.node.NodeProcess;
import dev.chatlab.sim.random.RandomStream;
import dev.chatlab.scenarios.model.ModelFile;

/**
 * The shared message store as a service on its own host: chat-core's {@link InMemoryChatStore}
 * gives the semantics (fencing, idempotent appends), a {@link StoreModel} on the host's disk gives
 * the timing. An operation takes effect when it arrives, in arrival order; its reply leaves when
 * the disk has served it, so a slow disk or a compaction delays every reply queued behind it.
 * With a store model file ({@link StoreModel#ops()}) the disk model gives way to the file's
 * service time per operation kind, served one at a time in arrival order (or side by side, with
 * the file's {@code queueing: none}); a slow-disk fault stretches them as it stretches the disk.
 */
final class StoreProcess implements NodeProcess {

    private static final Object COMPACTION = "compaction";
    /** Bytes of a request besides message bodies: keys, headers, the log record. */
    private static final long REQUEST_OVERHEAD_BYTES = 100;

    private final ChatWorld world;
    private final InMemoryChatStore store;
    private final StoreModel model;
    private final RandomStream random;
    /** The store's one server when it runs on a model file's service times, else null. */
    private final WorkQueue ops;
    /** Whether the model file's operations take their time side by side ({@code queueing: none}). */
    private final boolean concurrent;
    private NodeContext ctx;
    private long writesSinceCompaction;

    private record Pending(int node, int incarnation, long requestId, StoreResult result) {
    }

    StoreProcess(ChatWorld world, InMemoryChatStore store, StoreModel model, RandomStream random) {
        this.world = world;
        this.store = store;
        this.model = model;
        this.random = random;
        this.ops = model.ops() == null ? null : new WorkQueue(1, 0);
        this.concurrent = model.ops() != null && model.ops().concurrent();
    }

    @Override
    public void onStart(NodeContext context) {
        this.ctx = context;
        ctx.disk().setProfile(model.diskProfile());
    }

    @Override
    public void onMessage(int from, Object message, NodeContext context) {
        if (!(message instanceof Wire.StoreRequest r)) {
            return;
        }
        StoreResult result = store.apply(r.op());
        Pending pending = new Pending(from, r.incarnation(), r.requestId(), result);
        if (ops != null) {
            world.count(isWrite(r.op()) ? "store.writes" : "store.reads");
            long now = ctx.trueNowMicros();
            long service = Math.round(model.ops().op(ModelFile.kindOf(r.op().getClass())).sampleMicros(random)
                    * ctx.disk().slowdown());
            ctx.setTimerAfter(concurrent ? service : ops.admit(now, service) - now, pending);
        } else if (isWrite(r.op())) {
            world.count("store.writes");
            ctx.write(bytes(r.op()), pending);
            if (model.compactionEveryWrites() > 0 && ++writesSinceCompaction >= model.compactionEveryWrites()) {
                writesSinceCompaction = 0;
                world.count("store.compactions");
                ctx.write(model.compactionBytes(), COMPACTION);
            }
        } else {
            world.count("store.reads");
            ctx.read(bytes(r.op()), pending);
        }
    }

    @Override
    public void onTimer(Object timer, NodeContext context) {
        onDiskDone(timer, context);
    }

    @Override
    public void onDiskDone(Object tag, NodeContext context) {
        if (tag instanceof Pending p) {
            ctx.send(p.node(), new Wire.StoreReply(p.incarnation(), p.requestId(), p.result()));
        }
    }

    private static boolean isWrite(StoreOp op) {
        return !(op instanceof StoreOp.ReadRange || op instanceof StoreOp.ChatsOf);
    }

    private static long bytes(StoreOp op) {
        long n = REQUEST_OVERHEAD_BYTES;
        if (op instanceof StoreOp.Append a) {
            for (StoreOp.NewMessage m : a.messages()) {
                n += REQUEST_OVERHEAD_BYTES + m.body().length();
            }
        }
        return n;
    }
}
