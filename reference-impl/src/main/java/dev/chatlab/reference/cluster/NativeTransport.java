package dev.chatlab.reference.cluster;

import io.vertx.core.transport.Transport;

import java.util.Locale;

/**
 * The socket transport of a node or a load generator, named by the system property
 * {@code chatlab.transport}: {@code epoll} (the default on Linux), {@code io_uring} or {@code nio}.
 * A transport that this kernel cannot run falls back to what Vert.x would pick, with the reason
 * printed, so a run on another machine does not fail for a tuning choice.
 */
public final class NativeTransport {

    public static final String PROPERTY = "chatlab.transport";

    private NativeTransport() {
    }

    /** The transport to build Vert.x with. */
    public static Transport chosen() {
        return named(System.getProperty(PROPERTY, "epoll"));
    }

    /** The transport of this name, or what Vert.x would pick if this kernel cannot run it. */
    public static Transport named(String name) {
        Transport wanted = switch (name.toLowerCase(Locale.ROOT)) {
            case "epoll" -> Transport.EPOLL;
            case "io_uring", "io-uring", "iouring" -> Transport.IO_URING;
            case "nio" -> Transport.NIO;
            default -> throw new IllegalArgumentException(
                    "the transport must be epoll, io_uring or nio, got '" + name + "'");
        };
        if (wanted != null && wanted.available()) {
            return wanted;
        }
        Transport fallback = Transport.nativeTransport();
        if (fallback == null || !fallback.available()) {
            fallback = Transport.NIO;
        }
        System.err.println("chatlab: transport " + name + " is not available here ("
                + (wanted == null ? "not on the class path" : wanted.unavailabilityCause()) + "); using " + fallback.name());
        return fallback;
    }
}
