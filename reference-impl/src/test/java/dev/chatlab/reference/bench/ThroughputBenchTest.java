package dev.chatlab.reference.bench;

import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.protocol.FrameCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ThroughputBenchTest {

    @Test
    void devicesSpreadSoThatTwoThirdsOfDeliveriesCrossThreeNodes() {
        int[] perNode = new int[3];
        for (int i = 0; i < 3000; i++) {
            perNode[ThroughputBench.nodeOf(i, 3)]++;
        }
        for (int n : perNode) {
            assertThat(n).isBetween(900, 1100);
        }
        assertThat(ThroughputBench.crossingFraction(1000, 2, 3)).isCloseTo(2.0 / 3, within(0.04));
        assertThat(ThroughputBench.crossingFraction(1000, 2, 1)).isZero();
    }

    @Test
    void receiptsAreTheCodecsFramesWithTheChatAndSeqPutIn() {
        FrameCodec codec = new FrameCodec();
        ThroughputBench.ReceiptFrames frames = new ThroughputBench.ReceiptFrames(codec);
        assertThat(codec.decode(frames.delivered("k17", 42)).frame()).isEqualTo(new Frame.Delivered("k17", 42));
        assertThat(codec.decode(frames.read("k3", 7)).frame()).isEqualTo(new Frame.Read("k3", 7));
    }

    @Test
    void readsTheSeqAndChatOfADeliverAsTheNodeWritesIt() {
        String deliver = new FrameCodec().encode(new Frame.Deliver("k9", 1234, "r1-5", "t1", "x", dev.chatlab.core.history.HistoryEvent.Via.values()[0]));
        assertThat(ThroughputBench.number(deliver, "\"seq\":")).isEqualTo(1234);
        assertThat(ThroughputBench.field(deliver, "\"chat\":\"")).isEqualTo("k9");
        assertThat(ThroughputBench.number("{\"type\":\"x\"}", "\"seq\":")).isEqualTo(-1);
    }
}
