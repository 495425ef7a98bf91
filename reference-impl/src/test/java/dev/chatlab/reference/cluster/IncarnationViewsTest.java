package dev.chatlab.reference.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IncarnationViewsTest {

    @Test
    void shouldReportARestartedNodeGoneAndThenBackButNeverItself() {
        IncarnationViews views = new IncarnationViews("n1");
        List<List<String>> seen = new ArrayList<>();
        views.report(Map.of("n1", "a", "n2", "b"), seen::add);
        views.report(Map.of("n1", "a", "n2", "c"), seen::add);
        views.report(Map.of("n1", "z", "n2", "c"), seen::add);
        assertThat(seen).containsExactly(List.of("n1", "n2"), List.of("n1"), List.of("n1", "n2"), List.of("n1", "n2"));
        assertThat(views.unchanged(Map.of("n1", "z", "n2", "c"))).isTrue();
        assertThat(views.unchanged(Map.of("n1", "z"))).isFalse();
    }
}
