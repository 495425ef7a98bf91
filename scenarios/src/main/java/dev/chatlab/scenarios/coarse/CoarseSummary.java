package dev.chatlab.scenarios.coarse;

import java.util.LinkedHashMap;
import java.util.Map;

/** The blocks of a coarse run's {@code summary.json} that come from the model: counts, faults, latency, time series. */
final class CoarseSummary {

    private CoarseSummary() {
    }

    static Map<String, Object> of(CoarseConfig c, CoarseModel model) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("counts", model.counts());
        Map<String, Object> faults = new LinkedHashMap<>();
        faults.put("planned", model.faultsPlanned());
        faults.put("injected", model.faultsInjected());
        faults.put("skipped", model.faultsSkipped());
        faults.put("by_kind", model.faultRows());
        faults.put("not_modelled", model.faultsNotModelled());
        faults.put("recoveries", model.recoveries());
        faults.put("timeline", model.timeline());
        out.put("faults", faults);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodes", c.nodes());
        m.put("devices", c.devices());
        m.put("connections_per_server_max", c.connectionsPerServerMax());
        m.put("server_threads", c.serverThreads());
        m.put("store", c.store().word());
        if (c.store().source() != null) {
            m.put("store_model", c.store().source());
        }
        m.put("store_concurrency", c.storeConcurrency());
        m.put("store_utilisation_permille", Math.round(model.storeUtilisation() * 1000));
        m.put("store_queue_max", model.storeQueueMax());
        m.put("queue_max_per_server", model.queueMax());
        double[] u = model.utilisation();
        long[] permille = new long[u.length];
        for (int i = 0; i < u.length; i++) {
            permille[i] = Math.round(u[i] * 1000);
        }
        m.put("utilisation_permille_per_server", permille);
        m.put("sessions_per_server_at_end", model.sessionsPerServer());
        out.put("model", m);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("send_to_ack", model.sendToAck().summary());
        latency.put("send_to_deliver", model.sendToDeliver().summary());
        latency.put("send_to_pull", model.sendToPull().summary());
        out.put("latency_us", latency);
        out.put("reconnect_us", model.reconnect().summary());
        CoarseModel.Series s = model.series();
        Map<String, Object> ts = new LinkedHashMap<>();
        ts.put("interval_us", s.intervalMicros);
        long[] start = new long[s.length()];
        for (int i = 0; i < start.length; i++) {
            start[i] = i * s.intervalMicros;
        }
        ts.put("start_us", start);
        ts.put("open_connections", s.open);
        ts.put("open_min", s.openMin);
        ts.put("connects", s.connects);
        ts.put("disconnects", s.disconnects);
        ts.put("reconnects", s.reconnects);
        ts.put("acks", s.acks);
        ts.put("delivers", s.delivers);
        ts.put("ack_p50_us", s.ackP50);
        ts.put("ack_p99_us", s.ackP99);
        ts.put("deliver_p50_us", s.deliverP50);
        ts.put("deliver_p99_us", s.deliverP99);
        out.put("timeseries", ts);
        return out;
    }
}
