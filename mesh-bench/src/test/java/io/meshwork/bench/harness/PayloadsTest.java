package io.meshwork.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    @Test
    void timedPayloadHasTheExactSizeAndCarriesItsTime() {
        long now = System.nanoTime();
        byte[] payload = Payloads.timed(now, 42, 500);
        assertThat(payload).hasSize(500);
        assertThat(Payloads.timeOf(payload)).isEqualTo(now);
        assertThat(new String(payload, StandardCharsets.US_ASCII)).startsWith("{\"t\":").endsWith("\"}").contains("\"n\":42");
    }

    @Test
    void negativeNanoTimesSurvive() {
        assertThat(Payloads.timeOf(Payloads.timed(-123_456_789L, 0, 100))).isEqualTo(-123_456_789L);
    }

    @Test
    void otherPayloadsHaveNoTime() {
        assertThat(Payloads.timeOf("{\"orderId\":1}".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(Payloads.timeOf(new byte[0])).isEqualTo(-1);
    }
}
