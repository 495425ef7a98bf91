package dev.chatlab.reference.fleet;

import dev.chatlab.core.history.HistoryEvent;

import java.util.Map;
import java.util.function.LongFunction;

/**
 * The devices of a real run, as the {@link RealDriver} sees them: in this process
 * ({@link LocalFleet}) or spread over fleet worker processes ({@link FleetWorkers}). The driver
 * decides when things happen (the start, the faults, the quiesce, the end); a fleet carries them
 * out on every device it holds. Times are microseconds of the run's shared clock.
 */
public interface DeviceFleet extends AutoCloseable {

    /** Microseconds of the run's clock (the history's t). */
    long now();

    /** Records an event that belongs to no device (a chat's membership), stamped with the fleet's clock. */
    void record(LongFunction<HistoryEvent> event);

    /**
     * Every device comes online at a random moment of {@code loginSpreadMicros} from
     * {@code loginsFromMicros}, and the workload's actions are scheduled at {@code zeroMicros}
     * plus their time.
     */
    void start(long loginsFromMicros, long loginSpreadMicros, long zeroMicros);

    /**
     * Records the {@code quiesce} and brings every offline device back online at a random moment
     * of the next {@code reconnectSpreadMicros}; connected devices keep their connection.
     */
    void quiesce(long reconnectSpreadMicros);

    /** Drops every device connection to endpoint {@code endpoint} (a mass disconnect); returns how many dropped. */
    int disconnectAll(int endpoint);

    /** How far the devices have got: what the driver reads after the quiesce to see them converge. */
    Frontier frontier();

    /** One progress line's worth of counts. */
    String status();

    /**
     * Ends the history at once (no event recorded, no frame sent from now on, in every process),
     * then returns the fleet's counters (summed over its processes).
     */
    Map<String, Long> finish();

    /** Processes the devices run in: 1 for a fleet in this process. */
    int processes();

    @Override
    void close();
}
