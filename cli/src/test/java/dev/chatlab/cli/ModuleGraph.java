package dev.chatlab.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.RandomAccessFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * chatlab's module graph as ArchUnit rules over the main classes of every module. The CLI's test
 * classpath holds them all, which is why the rules live here.
 *
 * <pre>{@code
 * JavaClasses all = ModuleGraph.importAll();
 * ModuleGraph.ARROWS.check(all);                  // each module uses only the modules it may
 * ModuleGraph.NEVER.forEach(rule -> rule.check(all));
 * }</pre>
 *
 * <p>A module is named by the packages its classes live in. {@link #ARROWS} states the whole
 * graph (a class in no module fails it, so a new module has to be placed); {@link #NEVER} names
 * the arrows that must never exist, each with its reason, so that a failure says why. Modules
 * marked {@code coming} may have no classes (cassandra-server is only a classpath): the rules about
 * them hold for none.
 */
final class ModuleGraph {

    /** A module of the build, the packages of its classes, and whether it may not exist yet. */
    record Module(String artifact, String packages, boolean coming) {
    }

    static final List<Module> MODULES = List.of(
            new Module("testkit", "dev.chatlab.testkit..", false),
            new Module("chat-core", "dev.chatlab.core..", false),
            new Module("history-io", "dev.chatlab.history.io..", false),
            new Module("run-stats", "dev.chatlab.stats..", false),
            new Module("checker", "dev.chatlab.checker..", false),
            new Module("sim-core", "dev.chatlab.sim..", false),
            new Module("chaos", "dev.chatlab.chaos..", false),
            // No code: the classpath of a Cassandra node, started as a process of its own.
            new Module("cassandra-server", "dev.chatlab.cassandra..", true),
            new Module("stores", "dev.chatlab.stores..", false),
            new Module("reference-impl", "dev.chatlab.reference..", false),
            new Module("scenarios", "dev.chatlab.scenarios..", false),
            new Module("experiments", "dev.chatlab.experiments..", false),
            new Module("reports", "dev.chatlab.reports..", false),
            // Gatling's home, empty until that work lands.
            new Module("load", "dev.chatlab.load..", true),
            new Module("cli", "dev.chatlab.cli..", false));

    /**
     * The arrows: which modules each module's main code may use. Pure protocol and kernel at the
     * bottom, the readers of histories above them, the worlds above those, the CLI on top. The
     * experiments reach a cluster only through the scenarios' runs, never its node, fleet or stores.
     */
    static final Map<String, List<String>> MAY_USE = mayUse();

    private static Map<String, List<String>> mayUse() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("testkit", List.of());
        m.put("chat-core", List.of());
        m.put("sim-core", List.of());
        m.put("history-io", List.of("chat-core"));
        m.put("run-stats", List.of("chat-core", "history-io"));
        m.put("checker", List.of("chat-core", "history-io"));
        m.put("chaos", List.of("chat-core", "sim-core"));
        m.put("cassandra-server", List.of());
        m.put("stores", List.of("chat-core"));
        m.put("reference-impl", List.of("chat-core", "history-io", "run-stats", "stores"));
        m.put("reports", List.of("chat-core", "history-io", "run-stats", "checker"));
        m.put("scenarios", List.of("chat-core", "history-io", "run-stats", "checker", "sim-core", "chaos", "stores",
                "reference-impl"));
        m.put("experiments", List.of("chat-core", "history-io", "run-stats", "checker", "sim-core", "chaos", "scenarios",
                "reports"));
        m.put("load", List.of("chat-core", "reference-impl"));
        m.put("cli", List.of("chat-core", "history-io", "run-stats", "checker", "sim-core", "chaos", "stores", "reference-impl",
                "scenarios", "experiments", "reports"));
        return m;
    }

    static final LayeredArchitecture ARROWS = arrows();

    private static LayeredArchitecture arrows() {
        LayeredArchitecture graph = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (Module module : MODULES) {
            graph = module.coming()
                    ? graph.optionalLayer(module.artifact()).definedBy(module.packages())
                    : graph.layer(module.artifact()).definedBy(module.packages());
        }
        for (Map.Entry<String, List<String>> e : MAY_USE.entrySet()) {
            graph = e.getValue().isEmpty()
                    ? graph.whereLayer(e.getKey()).mayNotAccessAnyLayer()
                    : graph.whereLayer(e.getKey()).mayOnlyAccessLayers(e.getValue().toArray(String[]::new));
        }
        return graph.ensureAllClassesAreContainedInArchitecture();
    }

    /** Reaching other machines, databases or a server framework. */
    private static final String[] NETWORK_OR_DATABASE = {"java.net..", "java.sql..", "javax.sql..", "io.vertx..",
            "io.netty..", "com.hazelcast..", "org.postgresql..", "org.rocksdb.."};

    static final ArchRule PURE_CORES_KNOW_NO_NETWORK = noClasses()
            .that().resideInAnyPackage("dev.chatlab.core..", "dev.chatlab.sim..")
            .should().dependOnClassesThat().resideInAnyPackage(NETWORK_OR_DATABASE)
            .because("chat-core and sim-core are pure: the simulator and the Vert.x cluster host the same code, "
                    + "and only the hosts do I/O");

    /** The history writer opens its file (HistoryWriter.open(Path)); no other class of the two touches a file. */
    static final ArchRule PURE_CORES_KNOW_NO_FILES = noClasses()
            .that().resideInAnyPackage("dev.chatlab.core..", "dev.chatlab.sim..")
            .and().resideOutsideOfPackage("dev.chatlab.core.history..")
            .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.nio.channels..")
            .orShould().dependOnClassesThat().belongToAnyOf(File.class, FileInputStream.class, FileOutputStream.class,
                    FileReader.class, FileWriter.class, RandomAccessFile.class)
            .because("the protocol and the kernel take their inputs as arguments; files are the hosts' business");

    static final ArchRule CORE_AND_KERNEL_APART = noClasses()
            .that().resideInAnyPackage("dev.chatlab.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.chatlab.sim..")
            .because("the protocol is hosted by the simulator, and must not know it (nor the other way round)");

    static final ArchRule KERNEL_AND_CORE_APART = noClasses()
            .that().resideInAnyPackage("dev.chatlab.sim..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.chatlab.core..")
            .because("the discrete-event kernel knows no chat; the scenarios put the two together");

    static final ArchRule CHECKER_KNOWS_NO_WORLD = noClasses()
            .that().resideInAnyPackage("dev.chatlab.checker..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.chatlab.sim..", "dev.chatlab.chaos..",
                    "dev.chatlab.scenarios..", "dev.chatlab.reference..", "dev.chatlab.stores..",
                    "dev.chatlab.experiments..", "io.vertx..")
            .because("a checker is a pure function of a history: it judges any system's history, "
                    + "the simulator's, the cluster's or a team's own");

    static final ArchRule NOTHING_USES_THE_CLI = noClasses()
            .that().resideOutsideOfPackage("dev.chatlab.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.chatlab.cli..")
            .because("the CLI is the top of the graph; what it does must be reachable without it");

    static final ArchRule HISTORY_IO_KNOWS_NO_CHECKER = noClasses()
            .that().resideInAnyPackage("dev.chatlab.history.io..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.chatlab.checker..", "dev.chatlab.sim..",
                    "dev.chatlab.scenarios..", "dev.chatlab.reference..", "dev.chatlab.reports..")
            .because("reading the format serves every reader alike: the checker, the reports and the fleet's merge");

    /** The stores' old package inside reference-impl stays named, so that no store class can return there unchecked. */
    static final ArchRule STORES_KNOW_NO_NODE = noClasses()
            .that().resideInAnyPackage("dev.chatlab.stores..", "dev.chatlab.reference.store..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.chatlab.reference.node..",
                    "dev.chatlab.reference.cluster..", "dev.chatlab.reference.fleet..", "dev.chatlab.core.server..")
            .because("a store sits behind the store contract; the node calls it, never the other way round");

    static final ArchRule EXPERIMENTS_RUN_THROUGH_SCENARIOS = noClasses()
            .that().resideInAnyPackage("dev.chatlab.experiments..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.chatlab.reference..", "dev.chatlab.stores..")
            .because("an experiment runs scenarios through their public run API; the cluster's node, fleet and "
                    + "stores are the real engine's business");

    static final List<ArchRule> NEVER = List.of(PURE_CORES_KNOW_NO_NETWORK, PURE_CORES_KNOW_NO_FILES,
            CORE_AND_KERNEL_APART, KERNEL_AND_CORE_APART, CHECKER_KNOWS_NO_WORLD, NOTHING_USES_THE_CLI,
            HISTORY_IO_KNOWS_NO_CHECKER, STORES_KNOW_NO_NODE, EXPERIMENTS_RUN_THROUGH_SCENARIOS);

    private ModuleGraph() {
    }

    /** Every main class of every module on the classpath (test classes, the fixtures among them, are left out). */
    static JavaClasses importAll() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.chatlab");
    }
}
