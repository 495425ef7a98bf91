package dev.chatlab.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DeterminismRulesTest {

    static final class ReadsWallClock {
        long now() { return System.currentTimeMillis(); }
    }

    static final class ReadsNanoTime {
        long now() { return System.nanoTime(); }
    }

    static final class ReadsInstant {
        Object now() { return java.time.Instant.now(); }
    }

    static final class Sleeps {
        void pause() throws InterruptedException { Thread.sleep(1); }
    }

    static final class UnseededRandom {
        int draw() { return new Random().nextInt(); }
    }

    static final class MathRandom {
        double draw() { return Math.random(); }
    }

    static final class ThreadLocal {
        int draw() { return ThreadLocalRandom.current().nextInt(); }
    }

    static final class UnseededSplittableRandom {
        int draw() { return new SplittableRandom().nextInt(); }
    }

    static final class SystemUtcClock {
        Object clock() { return Clock.systemUTC(); }
    }

    static final class SystemDefaultZoneClock {
        Object clock() { return Clock.systemDefaultZone(); }
    }

    static final class SystemClockOfAZone {
        Object clock() { return Clock.system(ZoneId.of("UTC")); }
    }

    static final class LocalDateNow {
        Object today() { return LocalDate.now(); }
    }

    static final class ZonedDateTimeNowInAZone {
        Object now() { return ZonedDateTime.now(ZoneId.of("UTC")); }
    }

    static final class Clean {
        long later(long nowMicros, Random seeded) { return nowMicros + seeded.nextInt(10); }
    }

    /** Time read from a clock handed in, and a seeded SplittableRandom, are what the rule asks for. */
    static final class CleanWithAClockAndASeed {
        Object now(Clock clock) { return Instant.now(clock); }
        int draw(long seed) { return new SplittableRandom(seed).nextInt(); }
    }

    @Test
    void shouldFireOnEveryBannedCall() {
        for (Class<?> offender : new Class<?>[] {ReadsWallClock.class, ReadsNanoTime.class, ReadsInstant.class,
                Sleeps.class, UnseededRandom.class, MathRandom.class, ThreadLocal.class,
                UnseededSplittableRandom.class, SystemUtcClock.class, SystemDefaultZoneClock.class,
                SystemClockOfAZone.class, LocalDateNow.class, ZonedDateTimeNowInAZone.class}) {
            assertThat(DeterminismRules.evaluate(offender).hasViolation())
                    .as("the check must fire on %s", offender.getSimpleName())
                    .isTrue();
        }
    }

    /**
     * Thread.sleep(Duration) exists from Java 19 on, so javac for 17 cannot compile a call to it;
     * the test writes the class file of such a call itself.
     */
    @Test
    void shouldFireOnSleepingForADuration(@TempDir Path dir) throws IOException {
        String name = "dev/chatlab/testkit/generated/SleepsForADuration";
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_FINAL, name, null, "java/lang/Object", null);
        MethodVisitor pause = writer.visitMethod(Opcodes.ACC_STATIC, "pause", "(Ljava/time/Duration;)V", null, null);
        pause.visitCode();
        pause.visitVarInsn(Opcodes.ALOAD, 0);
        pause.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Thread", "sleep", "(Ljava/time/Duration;)V", false);
        pause.visitInsn(Opcodes.RETURN);
        pause.visitMaxs(0, 0);
        pause.visitEnd();
        writer.visitEnd();
        Path file = dir.resolve(name + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, writer.toByteArray());

        JavaClasses classes = new ClassFileImporter().importPath(dir);
        assertThat(classes).isNotEmpty();
        EvaluationResult result = DeterminismRules.evaluate(classes);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anySatisfy(line -> assertThat(line).contains("Thread.sleep(java.time.Duration)"));
    }

    @Test
    void shouldPassCodeThatTakesTimeAndRandomnessAsArguments() {
        assertThat(DeterminismRules.evaluate(Clean.class).hasViolation()).isFalse();
        assertThat(DeterminismRules.evaluate(CleanWithAClockAndASeed.class).hasViolation()).isFalse();
    }
}
