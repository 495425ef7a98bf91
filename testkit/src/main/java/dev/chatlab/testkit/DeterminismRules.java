package dev.chatlab.testkit;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Random;
import java.util.SplittableRandom;
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
            .orShould().callMethodWhere(readsTheSystemClockOfJavaTime())
            .orShould().callMethod(Clock.class, "systemUTC")
            .orShould().callMethod(Clock.class, "systemDefaultZone")
            .orShould().callMethod(Clock.class, "system", ZoneId.class)
            .orShould().callMethod(Thread.class, "sleep", long.class)
            .orShould().callMethod(Thread.class, "sleep", long.class, int.class)
            .orShould().callMethod(Thread.class, "sleep", Duration.class)
            .orShould().callMethod(Math.class, "random")
            .orShould().callMethod(ThreadLocalRandom.class, "current")
            .orShould().callConstructor(Random.class)
            .orShould().callConstructor(SecureRandom.class)
            .orShould().callConstructor(SplittableRandom.class)
            .orShould().callMethod(java.util.UUID.class, "randomUUID")
            .because("code the simulator runs takes time and randomness as arguments (a seed replays a run)");

    private DeterminismRules() {
    }

    /**
     * Any {@code now()} of java.time (Instant, LocalDate, ZonedDateTime, Year, ...) reads the system
     * clock unless it is handed a {@link Clock}; {@code now(clock)} passes time in as an argument
     * and stays allowed.
     */
    private static DescribedPredicate<JavaCall<?>> readsTheSystemClockOfJavaTime() {
        return DescribedPredicate.describe("a now() of java.time without a Clock argument", call ->
                call.getTargetOwner().getPackageName().equals("java.time")
                        && call.getName().equals("now")
                        && call.getTarget().getRawParameterTypes().stream().noneMatch(type -> type.isEquivalentTo(Clock.class)));
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
        return evaluate(new ClassFileImporter().importClasses(classes));
    }

    /** The same, on classes imported some other way (e.g. class files a test wrote itself). */
    public static EvaluationResult evaluate(JavaClasses classes) {
        return NO_WALL_CLOCK_OR_UNSEEDED_RANDOMNESS.evaluate(classes);
    }
}
