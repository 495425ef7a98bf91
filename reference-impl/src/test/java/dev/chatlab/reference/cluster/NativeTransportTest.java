package dev.chatlab.reference.cluster;

import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NativeTransportTest {

    @Test
    void shouldNameTheTransportOrFallBackToOneThatRunsHere() {
        assertThat(NativeTransport.named("nio")).isSameAs(Transport.NIO);
        // epoll is on the class path (Linux x86-64); elsewhere it falls back to something that runs.
        assertThat(NativeTransport.named("epoll").available()).isTrue();
        assertThat(NativeTransport.named("IO_URING").available()).isTrue();
    }

    @Test
    void shouldRefuseAnUnknownName() {
        assertThatThrownBy(() -> NativeTransport.named("kqueue-ish"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epoll, io_uring or nio")
                .hasMessageContaining("kqueue-ish");
    }
}
