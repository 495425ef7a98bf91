package dev.chatlab.reference.fleet;

import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * A share of a run's devices driven by a {@link Fleet} in this process: the whole population of a
 * single-process run, or one worker's share in a {@link FleetWorkerMain}. Every event goes to the
 * history sink it was given.
 *
 * <pre>{@code
 * try (LocalFleet fleet = LocalFleet.start(FleetShare.whole(plan, endpoints, secret), sink, System.nanoTime(), status)) {
 *     fleet.start(fleet.now(), 2_000_000, fleet.now() + 3_000_000);
 *     ...
 *     fleet.quiesce(1_000_000);
 *     Map<String, Long> counters = fleet.finish();
 * }
 * }</pre>
 */
public final class LocalFleet implements DeviceFleet {

    private final FleetShare share;
    private final Fleet fleet;
    private final Supplier<String> status;
    /** Spreads logins at the start and reconnections at the quiesce. */
    private final SplittableRandom spread;

    private LocalFleet(FleetShare share, Fleet fleet, Supplier<String> status) {
        this.share = share;
        this.fleet = fleet;
        this.status = status;
        this.spread = new SplittableRandom(share.seed() ^ 0x5eedL);
    }

    /**
     * Creates the share's devices (offline) on a fleet whose clock reads 0 at {@code nanoZero};
     * {@code status} gives the progress line.
     */
    public static LocalFleet start(FleetShare share, HistorySink history, long nanoZero, Supplier<String> status) {
        Fleet fleet = Fleet.start(new Fleet.Settings(share.endpoints(), share.secret(), share.client(), share.seed(),
                share.localAddresses()), history, nanoZero);
        for (String user : share.users()) {
            for (String device : share.devices()) {
                fleet.addDevice(user, device);
            }
        }
        fleet.sync();
        return new LocalFleet(share, fleet, status);
    }

    @Override
    public long now() {
        return fleet.now();
    }

    @Override
    public void record(LongFunction<HistoryEvent> event) {
        fleet.record(event);
    }

    @Override
    public void start(long loginsFromMicros, long loginSpreadMicros, long zeroMicros) {
        for (String user : share.users()) {
            for (String device : share.devices()) {
                fleet.act(loginsFromMicros + spread.nextLong(loginSpreadMicros), user, device,
                        new UserAction.GoOnline());
            }
        }
        for (RealDriver.TimedAction a : share.actions()) {
            fleet.act(zeroMicros + a.atMicros(), a.user(), a.device(), a.action());
        }
    }

    @Override
    public void quiesce(long reconnectSpreadMicros) {
        fleet.record(HistoryEvent.Quiesce::new);
        // The quiesce is in the history before the phase is answered: a finish right after it stops
        // recording at once, and would otherwise drop the quiesce still queued on the event loop.
        fleet.sync();
        // Offline devices come back and sync; connected ones stay connected, and the protocol must
        // bring them up to date as they are (no-lost-ack owes both every committed message). A
        // reconnect forced on every device would hide a connected device that never catches up.
        // A device already online (or on its way) takes GoOnline as a no-op.
        long base = fleet.now();
        for (String user : share.users()) {
            for (String device : share.devices()) {
                fleet.act(base + spread.nextLong(reconnectSpreadMicros), user, device, new UserAction.GoOnline());
            }
        }
    }

    @Override
    public int disconnectAll(int endpoint) {
        return fleet.disconnectAll(endpoint);
    }

    @Override
    public Frontier frontier() {
        return fleet.frontier();
    }

    /** See {@link Fleet#filterInbound}. */
    public void filterInbound(Fleet.InboundFilter filter) {
        fleet.filterInbound(filter);
    }

    @Override
    public String status() {
        return status.get();
    }

    @Override
    public Map<String, Long> finish() {
        // Every process of a run stops at once on this order; waiting for a busy event loop first
        // would let one go on recording what the others' devices, already silent, caused.
        fleet.stop();
        fleet.sync();
        return fleet.counters();
    }

    @Override
    public int processes() {
        return 1;
    }

    @Override
    public void close() {
        fleet.close();
    }
}
