package dev.chatlab.scenarios.real;

import dev.chatlab.reference.fleet.FleetWorkers;

import java.util.Locale;

/**
 * Where a real run's devices live: in the run's own process, behind the fault proxies, or spread
 * over fleet worker processes. Small fleets stay in the process (the proxies give them latency
 * spikes too); a fleet that the proxies would push past this process's open-file limit, or one
 * told to use several processes, goes to workers.
 *
 * <pre>{@code
 * FleetLayout layout = FleetLayout.decide(25_000, RealRun.Options.defaults());   // 2 worker processes
 * }</pre>
 *
 * @param processes fleet processes (1 when in the run's process)
 */
record FleetLayout(int devices, int processes, boolean inProcess, int socketsPerProcess) {

    /**
     * Up to this many devices the fleet runs in this process, behind the fault proxies (three open
     * files a device here: the device's socket and the proxy's two); more go to worker processes.
     */
    static final int IN_PROCESS_DEVICES_MAX = 6_000;

    static FleetLayout decide(int devices, RealRun.Options options) {
        int processes = FleetWorkers.processesFor(devices, options.socketsPerProcess(), options.fleetProcesses());
        boolean inProcess = processes == 1 && (options.fleetProcesses() == 1 || devices <= IN_PROCESS_DEVICES_MAX);
        return new FleetLayout(devices, processes, inProcess, options.socketsPerProcess());
    }

    /** "100 devices in 2 worker processes" */
    String describe() {
        return String.format(Locale.ROOT, "%d devices in %s", devices,
                inProcess ? "this process" : processes + (processes == 1 ? " worker process" : " worker processes"));
    }
}
