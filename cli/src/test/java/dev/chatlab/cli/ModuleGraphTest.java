package dev.chatlab.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.chatlab.checker.fixture.CheckerThatKnowsTheSimulator;
import dev.chatlab.core.protocol.fixture.ProtocolThatOpensASocket;
import dev.chatlab.reference.node.NodeSettings;
import dev.chatlab.reference.store.fixture.StoreThatKnowsTheNode;
import dev.chatlab.sim.SimTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module graph holds over the main classes of every module, each rule can fail (shown on a
 * fixture class that draws the forbidden arrow), and the README's module table lists the build's
 * modules.
 */
class ModuleGraphTest {

    private static final Path ROOT = Path.of("..");
    private static JavaClasses all;

    @BeforeAll
    static void importEveryModule() {
        all = ModuleGraph.importAll();
    }

    @Test
    void shouldFindTheClassesOfEveryModuleThatExists() {
        for (ModuleGraph.Module module : ModuleGraph.MODULES) {
            if (!module.coming()) {
                String prefix = module.packages().replace("..", "");
                assertThat(all.stream().anyMatch(c -> c.getPackageName().startsWith(prefix)))
                        .as("classes of %s (%s) on the CLI's test classpath", module.artifact(), module.packages())
                        .isTrue();
            }
        }
    }

    @Test
    void shouldUseOnlyTheArrowsOfTheGraph() {
        ModuleGraph.ARROWS.check(all);
    }

    @Test
    void shouldDrawNoForbiddenArrow() {
        // Every rule is evaluated, so that a failure lists each forbidden arrow under its own rule and reason.
        String failures = ModuleGraph.NEVER.stream()
                .map(rule -> rule.evaluate(all))
                .filter(EvaluationResult::hasViolation)
                .map(result -> result.getFailureReport().toString())
                .collect(Collectors.joining("\n\n"));
        assertThat(failures).as("forbidden arrows").isEmpty();
    }

    @Test
    void shouldFailWhenTheProtocolOpensASocket() {
        EvaluationResult result = ModuleGraph.PURE_CORES_KNOW_NO_NETWORK.evaluate(
                new ClassFileImporter().importClasses(ProtocolThatOpensASocket.class));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("ProtocolThatOpensASocket", "java.net.Socket");
    }

    @Test
    void shouldFailWhenAStoreKnowsTheNode() {
        EvaluationResult result = ModuleGraph.STORES_KNOW_NO_NODE.evaluate(
                new ClassFileImporter().importClasses(StoreThatKnowsTheNode.class, NodeSettings.class));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("StoreThatKnowsTheNode", "NodeSettings");
    }

    @Test
    void shouldFailWhenTheCheckerKnowsTheSimulatorByNameAndByGraph() {
        JavaClasses classes = new ClassFileImporter().importClasses(CheckerThatKnowsTheSimulator.class, SimTime.class);
        assertThat(ModuleGraph.CHECKER_KNOWS_NO_WORLD.evaluate(classes).hasViolation()).isTrue();
        EvaluationResult graph = ModuleGraph.ARROWS.evaluate(classes);
        assertThat(graph.hasViolation()).isTrue();
        assertThat(graph.getFailureReport().toString()).contains("CheckerThatKnowsTheSimulator", "SimTime");
    }

    @Test
    void shouldPlaceEveryModuleOfTheBuildInTheGraph() throws Exception {
        List<String> placed = ModuleGraph.MODULES.stream().map(ModuleGraph.Module::artifact).toList();
        assertThat(placed).containsAll(buildModules());
        assertThat(ModuleGraph.MAY_USE.keySet()).containsExactlyInAnyOrderElementsOf(placed);
    }

    @Test
    void shouldListExactlyTheBuildsModulesInTheReadme() throws Exception {
        assertThat(readmeModules()).as("the modules in README.md's table, against the root pom's")
                .containsExactlyInAnyOrderElementsOf(buildModules());
    }

    /** The {@code <module>}s of the root pom. */
    private static List<String> buildModules() throws Exception {
        NodeList modules = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(ROOT.resolve("pom.xml").toFile())
                .getElementsByTagName("module");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < modules.getLength(); i++) {
            out.add(modules.item(i).getTextContent().trim());
        }
        assertThat(out).as("modules of the root pom").isNotEmpty();
        return out;
    }

    /** The first column of the table under the README's "## Modules". */
    private static List<String> readmeModules() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## Modules\n");
        assertThat(start).as("a '## Modules' section in README.md").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(section);
        List<String> out = new ArrayList<>();
        while (row.find()) {
            out.add(row.group(1));
        }
        return out;
    }
}
