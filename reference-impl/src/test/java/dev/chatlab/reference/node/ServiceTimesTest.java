package dev.chatlab.reference.node;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code GET /calibration} serves decodes back to the times recorded, and {@code POST} clears them. */
class ServiceTimesTest {

    @Test
    void shouldServeEachKindsHistogramWholeAndClearItOnPost() throws Exception {
        ServiceTimes times = new ServiceTimes();
        for (int i = 1; i <= 1_000; i++) {
            times.record("frame", "send", i * 1_000L);
        }
        times.record("store", "append", 2_000_000);
        AdminEndpoints.Response got = times.handle("GET", "");
        assertThat(got.status()).isEqualTo(200);
        JsonObject json = new JsonObject(new String(got.body(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(json.getString("unit")).isEqualTo("ns");
        JsonObject send = json.getJsonObject("families").getJsonObject("frame").getJsonObject("send");
        assertThat(send.getLong("count")).isEqualTo(1_000);
        Histogram h = Histogram.decodeFromCompressedByteBuffer(
                ByteBuffer.wrap(Base64.getDecoder().decode(send.getString("histogram"))), 0);
        assertThat(h.getTotalCount()).isEqualTo(1_000);
        assertThat((double) h.getValueAtPercentile(50)).isBetween(499_000.0, 501_000.0);
        assertThat(json.getJsonObject("families").getJsonObject("store").getJsonObject("append").getLong("count")).isEqualTo(1);

        times.handle("POST", "");
        JsonObject cleared = new JsonObject(new String(times.handle("GET", "").body(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(cleared.getJsonObject("families").getJsonObject("frame").getJsonObject("send").getLong("count")).isZero();
        assertThat(times.handle("DELETE", "").status()).isEqualTo(405);
    }

    @Test
    void shouldKeepTheFamiliesAPostNamesAndRefuseABodyItCannotRead() {
        ServiceTimes times = new ServiceTimes();
        times.record("connect", "connect", 700_000);
        times.record("frame", "send", 50_000);
        times.handle("POST", "{\"keep\": [\"connect\"]}");
        JsonObject families = new JsonObject(new String(times.handle("GET", "").body(),
                java.nio.charset.StandardCharsets.UTF_8)).getJsonObject("families");
        assertThat(families.getJsonObject("connect").getJsonObject("connect").getLong("count")).isEqualTo(1);
        assertThat(families.getJsonObject("frame").getJsonObject("send").getLong("count")).isZero();
        assertThat(times.handle("POST", "keep connect").status()).isEqualTo(400);
    }
}
