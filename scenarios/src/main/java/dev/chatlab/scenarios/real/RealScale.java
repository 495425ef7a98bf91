package dev.chatlab.scenarios.real;

import dev.chatlab.scenarios.Scenario;

/**
 * Fits a scenario's population to this machine: at most {@link #devicesMax} devices (sockets),
 * users, chats and the message rate scaled by the same factor, so each user sees the load the
 * scenario meant. The summary reports the factor. Beyond one process's open-file limit the fleet
 * spreads the devices over several processes (see RealRun).
 *
 * <pre>{@code
 * RealScale scale = RealScale.fit(scenario, RealScale.devicesForThisMachine());
 * Scenario scaled = scale.scenario();
 * }</pre>
 */
record RealScale(double factor, int devicesMax, Scenario scenario) {

    /**
     * Devices per core the machine drives with three nodes, a store and the fleet on it, with
     * room to spare: at 1,000 per core on 2 shared cores logins alone took 30 s.
     */
    static final int DEVICES_PER_CORE = 250;

    static int devicesForThisMachine() {
        return DEVICES_PER_CORE * Runtime.getRuntime().availableProcessors();
    }

    static RealScale fit(Scenario s, int devicesMax) {
        Scenario.Population p = s.population();
        long devices = (long) p.users() * p.devicesPerUser();
        if (devices <= devicesMax) {
            return new RealScale(1.0, devicesMax, s);
        }
        double factor = (double) devicesMax / devices;
        int users = Math.max(2, (int) (p.users() * factor));
        int chats = Math.max(1, (int) Math.round(p.chats() * factor));
        // Mega chats are left out of a scaled run: their fan-out does not scale down with the factor.
        Scenario.Population scaled = new Scenario.Population(users, p.devicesPerUser(), chats,
                Math.min(p.groupSize(), users));
        // Every other setting of the workload holds (before, a scaled run lost its churn, presence watching and shapes).
        Scenario.Workload workload = s.workload().scaled(factor);
        return new RealScale(factor, devicesMax, s.withPopulation(scaled, workload));
    }
}
