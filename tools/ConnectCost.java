import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.protocol.FrameCodec;
import dev.chatlab.reference.auth.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one connection set-up costs a real chat node's CPU (the {@code connect} of models/local-node.yaml):
 * opens N connections to one node (TCP, WebSocket upgrade, hello with a JWT, until the welcome), 16
 * at a time, closing each, three rounds; prints the node process's CPU time per connection, its
 * idle rate subtracted. A measuring tool for the real cluster: it reads the real clock on purpose.
 *
 * <pre>
 * ./chatlab cluster start --nodes 1 --store memory --dir /tmp/cc --base-port 0
 * # PORT and PID from ./chatlab cluster status --dir /tmp/cc, SECRET from /tmp/cc/cluster.json
 * java -cp "$(cat cli/target/classpath.txt)" tools/ConnectCost.java PORT PID SECRET 3000
 * ./chatlab cluster stop --dir /tmp/cc
 * </pre>
 */
public class ConnectCost {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        long pid = Long.parseLong(a[1]);
        String secret = a[2];
        int n = Integer.parseInt(a[3]);
        int parallel = 16;
        Vertx vertx = Vertx.vertx();
        Tokens tokens = new Tokens(vertx, secret);
        FrameCodec codec = new FrameCodec();
        String[] hello = new String[n];
        for (int i = 0; i < n; i++) hello[i] = codec.encode(new Frame.Hello("cc" + i, "d1", tokens.issue("cc" + i, 3600)));
        WebSocketClient client = vertx.createWebSocketClient();
        // idle CPU of the node over 5 s, to subtract
        long idle0 = cpu(pid); Thread.sleep(5000); long idle1 = cpu(pid);
        double idlePerSec = (idle1 - idle0) / 5.0;
        for (int round = 0; round < 3; round++) {
            AtomicInteger next = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(n);
            long c0 = cpu(pid); long t0 = System.nanoTime();
            for (int p = 0; p < parallel; p++) vertx.runOnContext(v -> one(client, port, hello, next, done));
            done.await();
            long t1 = System.nanoTime(); long c1 = cpu(pid);
            double secs = (t1 - t0) / 1e9;
            double busy = (c1 - c0) / 100.0 - idlePerSec / 100.0 * secs;
            System.out.printf("round %d: %d connections in %.2f s, node CPU %.2f s (idle %.2f s subtracted): %.0f us per connection%n",
                    round, n, secs, (c1 - c0) / 100.0, idlePerSec / 100.0 * secs, busy * 1e6 / n);
        }
        vertx.close();
    }

    static void one(WebSocketClient client, int port, String[] hello, AtomicInteger next, CountDownLatch done) {
        int i = next.getAndIncrement();
        if (i >= hello.length) return;
        client.connect(new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI("/ws")).onComplete(ar -> {
            if (ar.failed()) { System.err.println(ar.cause()); done.countDown(); one(client, port, hello, next, done); return; }
            var ws = ar.result();
            ws.textMessageHandler(m -> { ws.close(); done.countDown(); one(client, port, hello, next, done); });
            ws.writeTextMessage(hello[i]);
        });
    }

    static long cpu(long pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll(".*\\) ", "").split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
