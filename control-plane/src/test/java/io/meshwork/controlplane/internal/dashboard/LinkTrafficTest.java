package io.meshwork.controlplane.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LinkTrafficTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final LinkTraffic traffic = new LinkTraffic(registry);

    @Test
    void ratesAreTheCountersGrowthBetweenTwoSamplesPerDirection() {
        Counter events = Counter.builder("mesh.link.events").tags("from", "us", "to", "eu").register(registry);
        Counter bytes = Counter.builder("mesh.link.bytes").tags("from", "us", "to", "eu").register(registry);
        events.increment(5);
        bytes.increment(500);
        traffic.sample(0);
        assertThat(traffic.latest().get("us>eu").eventsPerSecond()).isZero();

        events.increment(20);
        bytes.increment(4000);
        traffic.sample(2 * SECOND);

        LinkTraffic.Direction usToEu = traffic.latest().get("us>eu");
        assertThat(usToEu.eventsPerSecond()).isEqualTo(10.0);
        assertThat(usToEu.bytesPerSecond()).isEqualTo(2000.0);
        assertThat(usToEu.spoolRecords()).isEqualTo(-1);
        assertThat(traffic.latest()).doesNotContainKey("eu>us");
    }

    @Test
    void spoolLagIsReadFromTheRoutersGaugesAndOtherMetersAreIgnored() {
        AtomicLong records = new AtomicLong(42);
        Gauge.builder("mesh.link.spool.records", records, AtomicLong::get).tags("from", "eu", "to", "ap").register(registry);
        Gauge.builder("mesh.link.spool.seconds", () -> 3).tags("from", "eu", "to", "ap").register(registry);
        Counter.builder("mesh.arrivals").tags("region", "eu", "from", "ap").register(registry).increment();

        traffic.sample(0);

        assertThat(traffic.latest()).containsOnlyKeys("eu>ap");
        assertThat(traffic.latest().get("eu>ap")).isEqualTo(new LinkTraffic.Direction(0, 0, 42, 3));
        assertThat(traffic.view()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("from", "eu").containsEntry("to", "ap").containsEntry("spoolRecords", 42L));
    }
}
