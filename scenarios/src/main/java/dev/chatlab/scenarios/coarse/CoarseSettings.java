package dev.chatlab.scenarios.coarse;

import dev.chatlab.scenarios.Durations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys a scenario file's {@code coarse:} section may set: what the coarse model needs beyond
 * the scenario's own sections. Every key has a default, so a scenario runs at the coarse level
 * without any of them.
 *
 * <pre>{@code
 * coarse:
 *   connections_per_server: 100000   # a full server refuses connections
 *   server_threads: 8                # k of each server's M/G/k queue
 *   send_service: 200us              # median work to accept one message (log-normal)
 *   deliver_service: 50us            # median work to push one message to one device
 *   connect_service: 2ms             # median work to accept a connection (TLS, auth, sync)
 *   session_service: 0s              # median work a new session makes once it is open (directory, sync); none by default
 *   service_sigma: 0.5               # log-space spread of the service times
 *   store_concurrency: 64            # requests the shared store serves at once
 *   group_size_max: 64               # chat sizes are Zipf over 2..this (default: population.group_size)
 *   group_zipf_exponent: 1.2
 *   diurnal_amplitude: 0.0           # the message rate swings by this fraction around its mean
 *   diurnal_period: 1440m            # 24 hours
 *   pull_interval: 30s               # members of pulled (mega) chats poll this often
 *   interval: 1s                     # one point of the time series
 *   message_sample: 1                # simulate one message in this many; it stands for the rest
 * }</pre>
 *
 * {@code CoarseSettings.parse(map)} reads that section (durations in the scenario's words) and
 * names an unknown key or a bad value in its exception.
 */
public record CoarseSettings(int connectionsPerServer, int serverThreads, long sendServiceMicros,
                             long deliverServiceMicros, long connectServiceMicros, double serviceSigma,
                             int storeConcurrency, int groupSizeMax, double groupZipfExponent, double diurnalAmplitude,
                             long diurnalPeriodMicros, long pullIntervalMicros, long intervalMicros, int messageSample,
                             long sessionServiceMicros) {

    /** The keys of the section, in the order above. */
    public static final List<String> KEYS = List.of("connections_per_server", "server_threads", "send_service",
            "deliver_service", "connect_service", "service_sigma", "store_concurrency", "group_size_max",
            "group_zipf_exponent", "diurnal_amplitude", "diurnal_period", "pull_interval", "interval", "message_sample",
            "session_service");

    public static CoarseSettings defaults() {
        return new CoarseSettings(CoarseConfig.CONNECTIONS_PER_SERVER, 8, 200, 50, 2_000, 0.5, 64, 0, 1.2, 0,
                86_400_000_000L, 30_000_000, 1_000_000, 1, 0);
    }

    /** Reads a {@code coarse:} section; {@code IllegalArgumentException} names the key that is wrong. */
    public static CoarseSettings parse(Map<String, ?> section) {
        CoarseSettings d = defaults();
        for (String key : section.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("coarse: unknown key '" + key + "'; expected one of: "
                        + String.join(", ", KEYS));
            }
        }
        return new CoarseSettings(
                (int) integer(section, "connections_per_server", d.connectionsPerServer, 1),
                (int) integer(section, "server_threads", d.serverThreads, 1),
                duration(section, "send_service", d.sendServiceMicros),
                duration(section, "deliver_service", d.deliverServiceMicros),
                duration(section, "connect_service", d.connectServiceMicros),
                number(section, "service_sigma", d.serviceSigma),
                (int) integer(section, "store_concurrency", d.storeConcurrency, 1),
                (int) integer(section, "group_size_max", d.groupSizeMax, 2),
                number(section, "group_zipf_exponent", d.groupZipfExponent),
                number(section, "diurnal_amplitude", d.diurnalAmplitude),
                duration(section, "diurnal_period", d.diurnalPeriodMicros),
                duration(section, "pull_interval", d.pullIntervalMicros),
                duration(section, "interval", d.intervalMicros),
                messageSample(section, d.messageSample),
                duration(section, "session_service", d.sessionServiceMicros));
    }

    private static long integer(Map<String, ?> s, String key, long fallback, long min) {
        Object v = s.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < min
                || n.longValue() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("coarse." + key + ": expected an integer of at least " + min + ", got '" + v + "'");
        }
        return n.longValue();
    }

    private static int messageSample(Map<String, ?> s, int fallback) {
        long n = integer(s, "message_sample", fallback, 1);
        if (n > CoarseConfig.MESSAGE_SAMPLE_MAX) {
            throw new IllegalArgumentException("coarse.message_sample: expected an integer from 1 to "
                    + CoarseConfig.MESSAGE_SAMPLE_MAX + ", got " + n);
        }
        return (int) n;
    }

    private static double number(Map<String, ?> s, String key, double fallback) {
        Object v = s.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() < 0) {
            throw new IllegalArgumentException("coarse." + key + ": expected a non-negative number, got '" + v + "'");
        }
        return n.doubleValue();
    }

    private static long duration(Map<String, ?> s, String key, long fallback) {
        Object v = s.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            long micros = Durations.parseMicros(String.valueOf(v));
            if (micros <= 0) {
                throw new IllegalArgumentException("not positive");
            }
            return micros;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("coarse." + key + ": expected a positive duration such as 200us, 2ms or 30s, got '"
                    + v + "'", e);
        }
    }

    /** The section in the file's words, every default filled in; the summary embeds it. */
    public Map<String, Object> words() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connections_per_server", connectionsPerServer);
        out.put("server_threads", serverThreads);
        out.put("send_service", Durations.format(sendServiceMicros));
        out.put("deliver_service", Durations.format(deliverServiceMicros));
        out.put("connect_service", Durations.format(connectServiceMicros));
        out.put("service_sigma", serviceSigma);
        out.put("store_concurrency", storeConcurrency);
        out.put("group_size_max", groupSizeMax);
        out.put("group_zipf_exponent", groupZipfExponent);
        out.put("diurnal_amplitude", diurnalAmplitude);
        out.put("diurnal_period", Durations.format(diurnalPeriodMicros));
        out.put("pull_interval", Durations.format(pullIntervalMicros));
        out.put("interval", Durations.format(intervalMicros));
        out.put("message_sample", messageSample);
        out.put("session_service", Durations.format(sessionServiceMicros));
        return out;
    }
}
