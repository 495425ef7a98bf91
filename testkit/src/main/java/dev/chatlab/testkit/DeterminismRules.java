package dev.chatlab.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The build check that keeps the real clock and unseeded randomness out of code the simulator
 * runs. A module's test calls {@link #assertDeterministic(String)} with its root package; the
 * build fails, naming each offending call site, if any class there reads wall time, sleeps, or
 * draws randomness that no seed controls.
 *
 * <pre>{@code
 * @Test void protocolCodeIsDeterministic() {
 *     DeterminismRules.assertDeterministic("dev.chatlab.core");
 * }
 * }</pre>
 */
public final class DeterminismRules {

    /** Why each ban exists is the same: a replayed seed must give the same run. */
    public static final ArchRule NO_WALL_CLOCK_OR_UNSEEDED_RANDOMNESS = noClasses()
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethod(Instant.class, "now")
            .orShould().callMethod(LocalDateTime.class, "now")
            .orShould().callMethod(Thread.class, "sleep", long.class)
            .orShould().callMethod(Thread.class, "sleep", long.class, int.class)
            .orShould().callMethod(Math.class, "random")
            .orShould().callMethod(ThreadLocalRandom.class, "current")
            .orShould().callConstructor(Random.class)
            .orShould().callConstructor(SecureRandom.class)
            .orShould().callMethod(java.util.UUID.class, "randomUUID")
            .because("code the simulator runs takes time and randomness as arguments (a seed replays a run)");

    private DeterminismRules() {
    }

    /** Checks every production class under {@code rootPackage}; throws an AssertionError listing violations. */
    public static void assertDeterministic(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        if (classes.isEmpty()) {
            throw new AssertionError("no classes found under " + rootPackage + ": the check would pass vacuously");
        }
        NO_WALL_CLOCK_OR_UNSEEDED_RANDOMNESS.check(classes);
    }

    /** Evaluates the rule on the given classes without throwing; lets a test prove that the check fires. */
    public static EvaluationResult evaluate(Class<?>... classes) {
        return NO_WALL_CLOCK_OR_UNSEEDED_RANDOMNESS.evaluate(new ClassFileImporter().importClasses(classes));
    }
}
