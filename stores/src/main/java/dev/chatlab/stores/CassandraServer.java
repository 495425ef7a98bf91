package dev.chatlab.stores;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Apache Cassandra node (5.0, from {@code cassandra-all}) run as a {@code java} process of
 * its own, with a {@code cassandra.yaml} written for one node on loopback: what the tests and
 * {@code chatlab cluster start --store cassandra} use when no external cluster is given. Never in
 * a chatlab JVM: Cassandra's Netty (4.1) clashes with Vert.x's (4.2), so it runs on the classpath
 * the {@code cassandra-server} module writes ({@link #classpathFile()}). It is ready for CQL in
 * 10-15 s on a 2-core machine and holds about 1 GiB.
 *
 * <pre>{@code
 * try (CassandraServer cassandra = CassandraServer.start(Path.of("run/cassandra"), 0)) {
 *     SharedStore store = SharedStores.connect(vertx, cassandra.address(), 4);
 * }
 * }</pre>
 *
 * <p>Durability ({@link Durability}): by default the commit log is synced every 10 s
 * ({@code commitlog_sync: periodic}), and a {@code kill -9} loses the writes since the last sync
 * (measured: the last of five rounds of acknowledged appends was gone after a restart);
 * {@link Durability#PROCESS_CRASH} syncs before it acknowledges.
 */
public final class CassandraServer implements AutoCloseable {

    /** How long a node may take to answer CQL: a cold start on a busy 2-core machine took 12 s. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /** Where the classpath file may be named explicitly (a file, as the cassandra-server module writes it). */
    public static final String CLASSPATH_PROPERTY = "chatlab.cassandra.classpath";

    /** The keyspace chatlab's store lives in unless an address names another. */
    public static final String KEYSPACE = "chatlab";

    /**
     * What Cassandra 5.0 asks of a JDK 17 (its conf/jvm17-server.options): it reaches into JDK
     * internals for off-heap memory, JMX, the attach API and its own class loading.
     */
    static final List<String> JDK17_OPTIONS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private final Process process;
    private final Path dir;
    private final int nativePort;

    private CassandraServer(Process process, Path dir, int nativePort) {
        this.process = process;
        this.dir = dir;
        this.nativePort = nativePort;
    }

    /**
     * Starts a node with its data, configuration and log ({@code cassandra.log}) in {@code dir}; CQL on
     * {@code nativePort} (0: a free one). An existing folder is kept, so a restarted node finds its data.
     */
    public static CassandraServer start(Path dir, int nativePort) {
        return start(dir, nativePort, Durability.MEMORY);
    }

    public static CassandraServer start(Path dir, int nativePort, Durability durability) {
        try {
            Files.createDirectories(dir);
            int port = nativePort > 0 ? nativePort : freePort();
            int storagePort = freePort();
            Path yaml = dir.resolve("cassandra.yaml");
            Files.writeString(yaml, yaml(dir.toAbsolutePath(), port, storagePort, durability));
            Path logback = dir.resolve("logback.xml");
            Files.writeString(logback, LOGBACK);
            Path log = dir.resolve("cassandra.log");
            long offset = Files.exists(log) ? Files.size(log) : 0;
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // A small node: the memtables are capped in the yaml; the serial collector costs least on 2 cores.
            command.addAll(List.of("-Xms768m", "-Xmx768m", "-Xss512k", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"));
            command.addAll(JDK17_OPTIONS);
            // Its pauses are the Discord lesson a comparison shows: one file per incarnation (%p), kept.
            command.add("-Xlog:gc:file=" + dir.toAbsolutePath().resolve("gc-%p.log") + ":uptime");
            command.add("-Dcassandra.config=" + yaml.toAbsolutePath().toUri());
            command.add("-Dcassandra-foreground=yes");
            command.add("-Dcassandra.storagedir=" + dir.toAbsolutePath());
            command.add("-Dlogback.configurationFile=" + logback.toAbsolutePath());
            // One node: nothing to gossip with, no ring to wait for.
            command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
            command.add("-Dcassandra.ring_delay_ms=0");
            command.add("-Dchatlab.process=cassandra");
            command.add("-cp");
            command.add(classpath());
            command.add("org.apache.cassandra.service.CassandraDaemon");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            CassandraServer server = new CassandraServer(process, dir, port);
            server.awaitReady(log, offset);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Cassandra in " + dir, e);
        }
    }

    /** The address {@link SharedStores#connect} takes: {@code cassandra://127.0.0.1:PORT/chatlab}. */
    public String address() {
        return "cassandra://127.0.0.1:" + nativePort + "/" + KEYSPACE;
    }

    public int nativePort() {
        return nativePort;
    }

    /** The GC log of this incarnation of the node (unified logging, {@code -Xlog:gc}). */
    public Path gcLog() {
        return dir.toAbsolutePath().resolve("gc-" + process.pid() + ".log");
    }

    /** The node's process (its CPU is the store's). */
    public long pid() {
        return process.pid();
    }

    /** Whether the classpath to run Cassandra from is there (the cassandra-server module has been built). */
    public static boolean available() {
        return classpathFile() != null;
    }

    /**
     * The file holding Cassandra's classpath: {@value #CLASSPATH_PROPERTY} if set, else
     * {@code cassandra-server/target/cassandra.classpath} in the working folder or one above it (a
     * module's tests run in the module's folder); null if neither exists.
     */
    public static Path classpathFile() {
        String named = System.getProperty(CLASSPATH_PROPERTY);
        if (named != null) {
            return Files.exists(Path.of(named)) ? Path.of(named) : null;
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path at : new Path[] {here, here.getParent()}) {
            Path candidate = at == null ? null : at.resolve("cassandra-server").resolve("target").resolve("cassandra.classpath");
            if (candidate != null && Files.exists(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String classpath() throws IOException {
        Path file = classpathFile();
        if (file == null) {
            throw new IOException("Cassandra's classpath file is missing: build the cassandra-server module"
                    + " (mvn -pl cassandra-server generate-resources) or name the file with -D" + CLASSPATH_PROPERTY);
        }
        return Files.readString(file).trim();
    }

    /** Waits for "Starting listening for CQL clients" in the log and an open port; a process that dies is reported with its log. */
    private void awaitReady(Path log, long offset) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Cassandra exited with " + process.exitValue() + " before it was ready; the end of "
                        + log + ":\n" + tail(log, offset));
            }
            if (logSays(log, offset, "Starting listening for CQL clients") && accepts(nativePort)) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Cassandra", e);
            }
        }
        process.destroyForcibly();
        throw new IOException("Cassandra was not ready for CQL within " + READY_TIMEOUT.toSeconds() + " s; the end of "
                + log + ":\n" + tail(log, offset));
    }

    private static boolean logSays(Path log, long offset, String line) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8)
                .contains(line);
    }

    private static String tail(Path log, long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            String[] lines = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8).split("\n");
            return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 30), lines.length));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * One node on loopback: one token, no authentication, small memtables and caches (a lab
     * machine holds several stores at once), no snapshots on truncate or drop (tests empty tables).
     */
    static String yaml(Path dir, int nativePort, int storagePort, Durability durability) {
        String sync = durability == Durability.MEMORY
                ? "commitlog_sync: periodic\ncommitlog_sync_period: 10000ms"
                : "commitlog_sync: group\ncommitlog_sync_group_window: 2ms";
        return """
                cluster_name: chatlab
                num_tokens: 1
                initial_token: 0
                partitioner: org.apache.cassandra.dht.Murmur3Partitioner
                data_file_directories:
                  - %1$s/data
                commitlog_directory: %1$s/commitlog
                saved_caches_directory: %1$s/saved_caches
                hints_directory: %1$s/hints
                cdc_raw_directory: %1$s/cdc_raw
                %4$s
                seed_provider:
                  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
                    parameters:
                      - seeds: "127.0.0.1:%3$d"
                listen_address: 127.0.0.1
                storage_port: %3$d
                rpc_address: 127.0.0.1
                native_transport_port: %2$d
                start_native_transport: true
                endpoint_snitch: SimpleSnitch
                authenticator: AllowAllAuthenticator
                authorizer: AllowAllAuthorizer
                memtable_heap_space: 96MiB
                memtable_offheap_space: 96MiB
                key_cache_size: 16MiB
                concurrent_reads: 8
                concurrent_writes: 8
                concurrent_counter_writes: 4
                auto_snapshot: false
                write_request_timeout: 5000ms
                cas_contention_timeout: 5000ms
                """.formatted(dir.toString(), nativePort, storagePort, sync);
    }

    private static final String LOGBACK = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%-5level %date{HH:mm:ss.SSS} %logger{0} %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    /** Stops the node (SIGTERM, then SIGKILL after 20 s); its data stays. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The folder holding the node's data, configuration and log. */
    public Path dir() {
        return dir;
    }
}
