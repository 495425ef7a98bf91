package dev.chatlab.scenarios.world;

import dev.chatlab.core.client.ClientDevice;
import dev.chatlab.core.client.ClientEffect;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.reference.fleet.Fleet;
import dev.chatlab.sim.node.NodeContext;
import dev.chatlab.sim.node.NodeProcess;

import java.util.List;

/**
 * A phone or a laptop: a thin host for chat-core's {@link ClientDevice}. It finds a chat node by
 * discovery (rendezvous hashing of the user over the nodes the cluster lists), opens a connection
 * (refused at once if the node is down, timed out if nothing answers), and turns the device's
 * effects into frames, timers and history events. Devices never crash; their connections do.
 *
 * <p>A node that failed a connection attempt (refused it, or let it time out) is skipped for
 * {@link #FAILED_NODE_PENALTY_MICROS} while discovery lists another, as the real cluster's
 * recording fleet does: without it, every device of a killed node's users would retry the dead
 * node until membership noticed, a storm of refused attempts the real fleet never makes.
 *
 * <p>With {@link ChatWorld#shareOneFleetLoop}, the frames a device receives and sends first go
 * through the world's one fleet loop, in order with every other device's.
 */
final class DeviceProcess implements NodeProcess {

    private final ChatWorld world;
    private final String user;
    private final ClientDevice client;
    private NodeContext ctx;
    private long session;
    private int sessionNode = -1;
    private long pending;
    /** The node that failed this device's last attempt, skipped until {@link #avoidUntil}; -1: none. */
    private int avoid = -1;
    private long avoidUntil;
    /** The node of the attempt in flight. */
    private int pendingNode = -1;

    /** How long a node that failed an attempt is skipped: the real run's fleet's, so both worlds' devices leave a dead node alike. */
    static final long FAILED_NODE_PENALTY_MICROS = Fleet.ENDPOINT_PENALTY_MICROS;

    /** Messages this device is still trying to send. */
    int outboxSize() {
        return client.outboxSize();
    }

    DeviceProcess(ChatWorld world, ClientDevice client) {
        this.world = world;
        this.user = client.user();
        this.client = client;
    }

    @Override
    public void onStart(NodeContext context) {
        this.ctx = context;
    }

    private long now() {
        return ctx.trueNowMicros();
    }

    void act(UserAction action) {
        apply(client.onUserAction(action, now()));
    }

    boolean connected() {
        return session != 0;
    }

    @Override
    public void onMessage(int from, Object message, NodeContext context) {
        if (message instanceof Wire.Accepted a) {
            if (a.session() == pending) {
                pending = 0;
                session = a.session();
                sessionNode = from;
                apply(client.onConnected(now()));
            } else {
                ctx.send(from, new Wire.Close(a.session()));   // an attempt this device gave up on
            }
        } else if (message instanceof Wire.ToDevice f) {
            if (f.session() != session) {
                return;   // a frame of a connection this device has left: dropped before it is decoded
            }
            long done = world.fleetFrame(now());
            if (done > now()) {
                ctx.setTimerAfter(done - now(), new Wire.FleetFrame(f));
            } else {
                received(f);
            }
        } else if (message instanceof Wire.Closed c) {
            if (c.session() == session) {
                session = 0;
                sessionNode = -1;
                apply(client.onDisconnected(now(), c.reason()));
            } else if (c.session() == pending) {
                pending = 0;
                failed(from);
                apply(client.onDisconnected(now(), c.reason()));
            }
        }
    }

    private void received(Wire.ToDevice f) {
        if (f.session() == session) {
            apply(client.onFrame(f.frame(), now()));
        }
    }

    @Override
    public void onTimer(Object timer, NodeContext context) {
        if (timer instanceof Wire.FleetFrame ff) {
            if (ff.message() instanceof Wire.ToDevice in) {
                received(in);
            } else if (ff.message() instanceof Wire.ToServer out && out.session() == session) {
                ctx.send(sessionNode, out);
            }
        } else if (timer instanceof Wire.ClientTimer t) {
            apply(client.onTimer(t.name(), now()));
        } else if (timer instanceof Wire.ConnectTimeout t) {
            if (t.session() == pending) {
                pending = 0;
                world.count("device.connect-timeouts");
                failed(pendingNode);
                apply(client.onDisconnected(now(), "connect timeout"));
            }
        } else if (timer instanceof Wire.Refused r) {
            if (r.session() == pending) {
                pending = 0;
                failed(pendingNode);
                apply(client.onDisconnected(now(), r.reason()));
            }
        }
    }

    private void apply(List<ClientEffect> effects) {
        for (ClientEffect effect : effects) {
            if (effect instanceof ClientEffect.Connect) {
                connect();
            } else if (effect instanceof ClientEffect.Disconnect) {
                if (session != 0) {
                    ctx.send(sessionNode, new Wire.Close(session));
                    session = 0;
                    sessionNode = -1;
                }
                pending = 0;
            } else if (effect instanceof ClientEffect.SendFrame f) {
                if (session != 0) {
                    Wire.ToServer out = new Wire.ToServer(session, f.frame());
                    long done = world.fleetFrame(now());
                    if (done > now()) {
                        ctx.setTimerAfter(done - now(), new Wire.FleetFrame(out));
                    } else {
                        ctx.send(sessionNode, out);
                    }
                }
            } else if (effect instanceof ClientEffect.SetTimer t) {
                ctx.setTimerAt(t.atMicros(), new Wire.ClientTimer(t.timer()));
            } else if (effect instanceof ClientEffect.Record r) {
                world.record(r.event());
            }
        }
    }

    /** Node {@code node} failed an attempt: skip it for a while. */
    private void failed(int node) {
        if (node >= 0) {
            avoid = node;
            avoidUntil = now() + FAILED_NODE_PENALTY_MICROS;
        }
    }

    private void connect() {
        world.connectAttempt();
        long s = world.nextSession();
        pending = s;
        int target = world.discover(user, now() < avoidUntil ? avoid : -1);
        pendingNode = target;
        if (target < 0) {
            world.count("device.connect-refused");
            ctx.setTimerAfter(world.refusedDelayMicros(), new Wire.Refused(s, "no live node"));
        } else if (!world.isUp(target)) {
            world.count("device.connect-refused");
            ctx.setTimerAfter(world.refusedDelayMicros(), new Wire.Refused(s, "connection refused"));
        } else {
            ctx.send(target, new Wire.Open(s));
            ctx.setTimerAfter(world.config().connectTimeoutMicros(), new Wire.ConnectTimeout(s));
        }
    }
}
