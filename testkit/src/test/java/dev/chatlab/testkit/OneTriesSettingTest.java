package dev.chatlab.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every jqwik property of the project takes its tries from the build's one default
 * ({@code jqwik.tries} in the root pom, {@code -Djqwik.tries=N}): a property that sets its own
 * {@code tries} would not hear {@code -Djqwik.tries}, so a longer run would silently skip it.
 */
class OneTriesSettingTest {

    private static final Pattern OWN_TRIES = Pattern.compile("@Property\\s*\\([^)]*\\btries\\s*=");

    @Test
    void shouldLeaveEveryPropertysTriesToTheBuild() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of(".."))) {
            sources = files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/test/java/")
                    && !f.toString().contains("/target/")).toList();
        }
        assertThat(sources).as("the project's test sources, from testkit/..").hasSizeGreaterThan(50);
        List<Path> withProperties = sources.stream().filter(f -> read(f).contains("@Property")).toList();
        assertThat(withProperties).as("files with jqwik properties").hasSizeGreaterThanOrEqualTo(10);
        assertThat(withProperties).as("properties that set their own tries").noneMatch(f -> OWN_TRIES.matcher(read(f)).find());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
