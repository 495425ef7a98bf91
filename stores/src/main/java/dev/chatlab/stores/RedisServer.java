package dev.chatlab.stores;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's {@code redis-server} run by chatlab on a free loopback port, as a cache and nothing
 * more: no snapshots, no append-only file ({@code --save "" --appendonly no}), so a restart starts
 * empty and the store behind the cache stays the only truth. Memory is capped and the least
 * recently used chats are evicted whole (each chat is one key, see {@link CachedChatStore}).
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start(Path.of("run/redis"))) {
 *     ChatStore cached = CachedChatStore.wrap(vertx, store, redis.url(), 200);
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

    /** Where the binary may be named explicitly; otherwise {@code redis-server} on the PATH or in /usr/bin. */
    public static final String BINARY_PROPERTY = "chatlab.redis.server";

    static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    /** A lab machine holds several servers at once; chats past this are evicted, which a cache may do. */
    static final String MAXMEMORY = "256mb";

    private final Process process;
    private final Path dir;
    private final boolean temporary;
    private final int port;

    private RedisServer(Process process, Path dir, boolean temporary, int port) {
        this.process = process;
        this.dir = dir;
        this.temporary = temporary;
        this.port = port;
    }

    /** Starts a server with its log ({@code redis.log}) in {@code dir} (null: a temporary folder removed on close). */
    public static RedisServer start(Path dir) {
        return start(dir, 0);
    }

    /** As {@link #start(Path)}, on {@code port} (0: a free one): a restart after a kill keeps the address the nodes know. */
    public static RedisServer start(Path dir, int port) {
        String binary = binary();
        try {
            boolean temporary = dir == null;
            Path folder = temporary ? Files.createTempDirectory("chatlab-redis") : Files.createDirectories(dir);
            int chosen = port > 0 ? port : freePort();
            Path log = folder.resolve("redis.log");
            List<String> command = List.of(binary, "--port", String.valueOf(chosen), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", folder.toAbsolutePath().toString(),
                    "--daemonize", "no", "--protected-mode", "no", "--logfile", "",
                    "--maxmemory", MAXMEMORY, "--maxmemory-policy", "allkeys-lru");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            RedisServer server = new RedisServer(process, folder, temporary, chosen);
            server.awaitReady(log);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server", e);
        }
    }

    /** The binary to run; a missing one is named with the package that brings it. */
    static String binary() {
        String named = System.getProperty(BINARY_PROPERTY);
        if (named != null) {
            if (!Files.isExecutable(Path.of(named))) {
                throw new IllegalStateException("-D" + BINARY_PROPERTY + " names " + named + ", which is not an executable file");
            }
            return named;
        }
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/sbin";
        for (String folder : path.split(File.pathSeparator)) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, "redis-server"))) {
                return Path.of(folder, "redis-server").toString();
            }
        }
        throw new IllegalStateException("redis-server is not installed: the Redis cache and presence need Debian's"
                + " redis-server package (apt-get install -y redis-server), or -D" + BINARY_PROPERTY + "=/path/to/redis-server");
    }

    /** Whether a redis-server binary is there to start. */
    public static boolean available() {
        try {
            binary();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** The address the Vert.x Redis client takes: {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The server's process: a test kills it with {@code kill -9}; its CPU is the cache's. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Ready once it answers PING with PONG; a process that dies is reported with its log. */
    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + " before it was ready: "
                        + Files.readString(log, StandardCharsets.ISO_8859_1).strip());
            }
            if (answersPing(port)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
        process.destroyForcibly();
        throw new IOException("redis-server did not answer PING within " + READY_TIMEOUT.toSeconds() + " s; see " + log);
    }

    private static boolean answersPing(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1_000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] answer = in.readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes a temporary folder. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (temporary) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temporary folder is harmless.
            }
        }
    }
}
