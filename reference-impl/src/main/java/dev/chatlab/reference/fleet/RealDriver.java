package dev.chatlab.reference.fleet;

import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.reference.cluster.ClusterLauncher;
import dev.chatlab.stores.StoreSeeder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Drives one real run against a started cluster: seeds the chats into the shared store, records
 * their membership, brings every device online through the recording {@link Fleet}, plays the
 * workload and the faults in real time, quiesces (no more faults, dead nodes back, every device
 * online) and lets the devices sync until the end. Faults are the caller's tasks (chaos decides
 * what a kill is and counts it); this class only runs them at their time, off the main loop so a
 * slow restart does not stall the run.
 *
 * <pre>{@code
 * RealDriver.Plan plan = new RealDriver.Plan(chats, users, devices, actions, faults, quiesceAt, duration, client, seed);
 * Map<String, Long> fleetCounters = RealDriver.run(cluster, plan, HistorySink.all(writer, checker, recorder),
 *         recoverAll, System.err::println, () -> "acks=" + recorder.acks());
 * }</pre>
 */
public final class RealDriver {

    /** Devices come online spread over at least this window at the start. */
    public static final long LOGIN_SPREAD_MICROS = 2_000_000;
    /** Logins get this long more than their spread before the workload's and the faults' clock starts. */
    public static final long WARM_UP_AFTER_LOGINS_MICROS = 1_000_000;
    static final long PROGRESS_EVERY_MICROS = 2_000_000;
    /** At the quiesce the offline devices come back online, spread over at least this window. */
    public static final long QUIESCE_RECONNECT_SPREAD_MICROS = 1_000_000;
    /**
     * Logins (and reconnections at the quiesce) the whole fleet starts per second at most: a
     * connection costs the nodes a WebSocket handshake and a JWT check, and 25,000 devices let
     * loose in 2 s on 2 shared cores timed out by the thousand and retried in a storm.
     */
    public static final int LOGINS_PER_SECOND = 400;

    /**
     * How the devices' connections are spread out: over {@code loginSpreadMicros} at the start,
     * then {@code warmUpMicros} from the first login to the workload's zero, and over
     * {@code reconnectSpreadMicros} at the quiesce.
     */
    public record Pacing(long loginSpreadMicros, long warmUpMicros, long reconnectSpreadMicros) {

        /** The pacing for a fleet of {@code devices}, whatever the processes they are spread over. */
        public static Pacing forDevices(int devices) {
            long atRate = devices * 1_000_000L / LOGINS_PER_SECOND;
            long logins = Math.max(LOGIN_SPREAD_MICROS, atRate);
            return new Pacing(logins, logins + WARM_UP_AFTER_LOGINS_MICROS, Math.max(QUIESCE_RECONNECT_SPREAD_MICROS, atRate));
        }
    }

    /** A user action at a time of the run (from the end of the warm-up). */
    public record TimedAction(long atMicros, String user, String device, UserAction action) {
    }

    /** A fault at a time of the run; the task returns whether it took effect. */
    public record TimedFault(long atMicros, String label, FaultTask task) {
    }

    /** What a fault does. */
    public interface FaultTask {
        boolean run(LongSupplier runClock) throws Exception;
    }

    /**
     * @param chats         each chat's members, seeded before the run
     * @param actions       the workload, times from the end of the warm-up
     * @param faults        the fault schedule, times from the end of the warm-up; none fires after the quiesce
     * @param quiesceAtMicros from here: no faults, dead nodes back ({@code recover}), every device online
     */
    public record Plan(Map<String, List<String>> chats, List<String> users, List<String> devices,
                       List<TimedAction> actions, List<TimedFault> faults, long quiesceAtMicros, long durationMicros,
                       ClientConfig client, long seed) {
        public Plan {
            chats = new LinkedHashMap<>(chats);
            users = List.copyOf(users);
            devices = List.copyOf(devices);
            actions = List.copyOf(actions);
            faults = new ArrayList<>(faults);
            faults.sort(Comparator.comparingLong(TimedFault::atMicros));
            faults = List.copyOf(faults);
        }

        /** The same plan with {@code schedule} as its faults. */
        public Plan withFaults(List<TimedFault> schedule) {
            return new Plan(chats, users, devices, actions, schedule, quiesceAtMicros, durationMicros, client, seed);
        }
    }

    /**
     * How the run went, for the summary: the fleet's counters and the run clock's zero; and where
     * the fleet's clock (the history's {@code t}) starts on the host's monotonic clock
     * ({@code System.nanoTime() / 1000}), to put the nodes' own history events on it; and when, on
     * the run's clock, the history ended (past the duration when the devices took longer to settle).
     */
    public record Outcome(Map<String, Long> fleetCounters, long zeroMicros, List<String> faultLog, long fleetZeroHostMicros,
                          long endMicros) {
    }

    /**
     * Watches the devices settle after the quiesce. The driver only reads the fleet's
     * {@link Frontier}; nothing it learns makes a device act. The run goes on past its duration
     * while the devices have not settled, until {@link #boundMicros} after the quiesce.
     */
    public interface Settling {
        /** Does not wait: the run ends at its duration whatever the devices have. */
        Settling NONE = new Settling() {
            @Override
            public void quiesced(long runMicros) {
            }

            @Override
            public boolean observe(long runMicros, Frontier frontier) {
                return true;
            }

            @Override
            public long boundMicros() {
                return 0;
            }

            @Override
            public String status() {
                return "";
            }
        };

        /** The workload starts at {@code zeroMicros} of the fleet's clock (the history's {@code t}), its time 0. */
        default void started(long zeroMicros) {
        }

        /** The quiesce was recorded at this time of the run's clock. */
        void quiesced(long runMicros);

        /** Called about twice a second after the quiesce; true while every device has all it is owed. */
        boolean observe(long runMicros, Frontier frontier);

        /** How long after the quiesce the run may go on waiting. */
        long boundMicros();

        /** A few words for the progress line ("owed=12 unanswered=0"). */
        String status();
    }

    /** How often the driver reads the fleet's frontier after the quiesce. */
    static final long SETTLING_CHECK_MICROS = 500_000;

    private RealDriver() {
    }

    /**
     * Runs the plan; {@code recover} is called at the quiesce to bring dead nodes back.
     * {@code status} gives one progress line's worth of counts.
     */
    public static Outcome run(ClusterLauncher cluster, Plan plan, HistorySink history, FaultTask recover,
                              Consumer<String> progress, Supplier<String> status) {
        return run(cluster, cluster.webSocketUrls(), plan, history, recover, progress, status);
    }

    /** As above, the fleet connecting to {@code endpoints} (e.g. fault proxies in front of the nodes). */
    public static Outcome run(ClusterLauncher cluster, List<String> endpoints, Plan plan, HistorySink history,
                              FaultTask recover, Consumer<String> progress, Supplier<String> status) {
        return run(cluster, endpoints, plan, history, recover, progress, status, Settling.NONE, fleet -> { });
    }

    /**
     * As above, waiting for the devices to settle after the quiesce ({@code settling}); {@code prepare}
     * sees the fleet before any device connects (a test plants a loss there).
     */
    public static Outcome run(ClusterLauncher cluster, List<String> endpoints, Plan plan, HistorySink history,
                              FaultTask recover, Consumer<String> progress, Supplier<String> status, Settling settling,
                              Consumer<LocalFleet> prepare) {
        try (LocalFleet fleet = LocalFleet.start(FleetShare.whole(plan, endpoints, cluster.secret()), history,
                System.nanoTime(), status)) {
            prepare.accept(fleet);
            return run(cluster, plan, fleet, recover, progress, settling);
        }
    }

    /**
     * Runs the plan on {@code fleet}, whose devices were made from the same plan (in this process
     * or in worker processes): the driver keeps the schedule, the fleet carries it out on every
     * device. The caller closes the fleet.
     */
    public static Outcome run(ClusterLauncher cluster, Plan plan, DeviceFleet fleet, FaultTask recover,
                              Consumer<String> progress) {
        return run(cluster, plan, fleet, recover, progress, Settling.NONE);
    }

    /** As above, waiting for the devices to settle after the quiesce (see {@link Settling}). */
    public static Outcome run(ClusterLauncher cluster, Plan plan, DeviceFleet fleet, FaultTask recover,
                              Consumer<String> progress, Settling settling) {
        if (cluster.storeUrl() != null) {
            StoreSeeder.seedPostgres(cluster.storeUrl(), plan.chats());
        }
        ExecutorService chaos = Executors.newSingleThreadExecutor(r -> new Thread(r, "chatlab-chaos"));
        List<String> faultLog = new ArrayList<>();
        try {
            for (Map.Entry<String, List<String>> chat : plan.chats().entrySet()) {
                for (String user : chat.getValue()) {
                    fleet.record(t -> new HistoryEvent.Member(t, chat.getKey(), user, HistoryEvent.MemberOp.ADD));
                }
            }
            Pacing pacing = Pacing.forDevices(plan.users().size() * plan.devices().size());
            long loginsFrom = fleet.now();
            long zero = loginsFrom + pacing.warmUpMicros();
            settling.started(zero);
            fleet.start(loginsFrom, pacing.loginSpreadMicros(), zero);
            List<Future<?>> pending = new ArrayList<>();
            int next = 0;
            boolean quiesced = false;
            long nextProgress = loginsFrom;
            LongSupplier runClock = fleet::now;
            long end = zero + plan.durationMicros();
            long deadline = end;
            boolean settled = false;
            long nextCheck = Long.MAX_VALUE;
            // The quiesce always happens, and the devices always get the planned settling time after
            // it, even when a slow fault (a restart on a loaded machine) delayed it; past it, the run
            // goes on while they are still owed messages (a backlog is not a loss), up to the bound.
            while (!quiesced || fleet.now() < end || !settled && fleet.now() < deadline) {
                long now = fleet.now();
                if (quiesced && now >= nextCheck) {
                    settled = settling.observe(now - zero, fleet.frontier());
                    nextCheck = now + SETTLING_CHECK_MICROS;
                }
                while (!quiesced && next < plan.faults().size() && zero + plan.faults().get(next).atMicros() <= now) {
                    TimedFault f = plan.faults().get(next++);
                    pending.add(chaos.submit(() -> {
                        long at = fleet.now() - zero;
                        boolean took = f.task().run(runClock);
                        String line = String.format(Locale.ROOT, "%s at %.2f s: %s", f.label(), at / 1e6,
                                took ? "done" : "had no effect");
                        synchronized (faultLog) {
                            faultLog.add(line);
                        }
                        progress.accept("[real] " + line);
                        return took;
                    }));
                }
                if (!quiesced && now >= zero + plan.quiesceAtMicros()) {
                    quiesced = true;
                    // Every fault has finished before the quiesce is recorded: none may follow it.
                    waitFor(pending);
                    fleet.quiesce(pacing.reconnectSpreadMicros());
                    long quiescedAt = fleet.now();
                    settling.quiesced(quiescedAt - zero);
                    progress.accept("[real] quiesce: no more faults; dead nodes restart, every device goes online");
                    try {
                        recover.run(runClock);
                    } catch (Exception e) {
                        throw new IllegalStateException("could not recover the cluster at quiesce: " + e.getMessage(), e);
                    }
                    // Restarts at the quiesce may have taken a while: the settling time starts now.
                    end = Math.max(end, fleet.now() + pacing.reconnectSpreadMicros()
                            + plan.durationMicros() - plan.quiesceAtMicros());
                    deadline = Math.max(end, quiescedAt + settling.boundMicros());
                    nextCheck = fleet.now();
                }
                if (now >= nextProgress) {
                    progress.accept(now < zero
                            ? String.format(Locale.ROOT, "[real] logins: the workload starts in %.1fs %s",
                                    (zero - now) / 1e6, fleet.status())
                            : String.format(Locale.ROOT, "[real] t=%.1fs/%.1fs %s%s", (now - zero) / 1e6,
                                    plan.durationMicros() / 1e6, fleet.status(),
                                    quiesced ? " " + settling.status() : ""));
                    // After a long stall (a slow restart at the quiesce) one line, not one per missed interval.
                    nextProgress = Math.max(nextProgress + PROGRESS_EVERY_MICROS, now);
                }
                sleep(50);
            }
            // The summary tells the state the history ends in, not the one of the last check.
            long endAt = fleet.now() - zero;
            settling.observe(endAt, fleet.frontier());
            waitFor(pending);
            Map<String, Long> counters = fleet.finish();
            synchronized (faultLog) {
                return new Outcome(counters, zero, List.copyOf(faultLog), System.nanoTime() / 1000 - fleet.now(), endAt);
            }
        } finally {
            chaos.shutdownNow();
        }
    }

    /**
     * Source addresses for the fleet's sockets: loopback offers about 28,000 ports per source and
     * destination address pair, so every 20,000 devices get one more 127.0.0.x, counting from
     * 127.0.0.{@code first}.
     */
    static List<String> localAddresses(int devices, int first) {
        List<String> out = new ArrayList<>();
        for (int a = 0; a < Math.max(1, (devices + 19_999) / 20_000); a++) {
            out.add("127.0.0." + (first + a));
        }
        return out;
    }

    private static void waitFor(List<Future<?>> pending) {
        for (Future<?> f : pending) {
            try {
                f.get(120, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("a fault could not be injected: " + e.getMessage(), e);
            }
        }
        pending.clear();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
