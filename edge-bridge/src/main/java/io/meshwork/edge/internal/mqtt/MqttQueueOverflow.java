package io.meshwork.edge.internal.mqtt;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.ModifiableOutboundPublish;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.edge.MqttSessionSettings;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the messages HiveMQ drops visible: a session's queue that is full (client offline with a
 * persistent session, or slower than its events) loses messages by the overflow policy, and that
 * loss must never be silent. HiveMQ counts every message it drops in its own metric registry
 * ({@value #HIVEMQ_DROPPED}); this reads it every few seconds, adds the growth to the Prometheus
 * counter {@code mesh_edge_mqtt_dropped_total{region}} and logs a warning naming the queue limit
 * and policy.
 *
 * <p>HiveMQ's count also holds every PUBLISH an extension kept from delivery, and the edge keeps
 * every inbound PUBLISH from HiveMQ's own delivery (it goes through Kafka instead), and some
 * outbound ones (no-local), so those are counted here ({@link #publishIntercepted},
 * {@link #counting}) and taken off. What is left are
 * messages lost on the way out: a full queue above all, also a QoS 0 memory limit, a socket that
 * was not writable, a packet over the client's maximum size.
 */
final class MqttQueueOverflow implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttQueueOverflow.class);
    /** HiveMQ's counter of dropped messages (queue full, and its other reasons). */
    static final String HIVEMQ_DROPPED = "com.hivemq.messages.dropped.count";
    private static final long CHECK_SECONDS = 5;

    private final String region;
    private final MqttSessionSettings settings;
    private final io.micrometer.core.instrument.Counter dropped;
    // This broker instance's own registry, captured in extensionStart.
    private final AtomicReference<MetricRegistry> hivemq = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicLong intercepted = new java.util.concurrent.atomic.AtomicLong();
    private long seen;
    private ScheduledFuture<?> check;

    MqttQueueOverflow(String region, MqttSessionSettings settings) {
        this.region = region;
        this.settings = settings;
        this.dropped = io.micrometer.core.instrument.Counter.builder("mesh_edge_mqtt_dropped")
                .description("MQTT messages the edge's broker dropped, most often because a session's queue was full")
                .tag("region", region)
                .register(MeshMetrics.registry());
    }

    void bind(MetricRegistry registry) {
        hivemq.set(registry);
    }

    /** Checks the count every few seconds on {@code timer}. */
    void start(ScheduledExecutorService timer) {
        check = timer.scheduleWithFixedDelay(this::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /** One inbound PUBLISH reached the edge's interceptor, which keeps it from HiveMQ's delivery. */
    void publishIntercepted() {
        intercepted.incrementAndGet();
    }

    /** {@code interceptor}, with each delivery it prevents counted as intercepted, not lost. */
    PublishOutboundInterceptor counting(PublishOutboundInterceptor interceptor) {
        return (input, output) -> interceptor.onOutboundPublish(input, new PublishOutboundOutput() {
            @Override
            public ModifiableOutboundPublish getPublishPacket() {
                return output.getPublishPacket();
            }

            @Override
            public void preventPublishDelivery() {
                publishIntercepted();
                output.preventPublishDelivery();
            }

            @Override
            public Async<PublishOutboundOutput> async(Duration timeout, TimeoutFallback fallback) {
                return output.async(timeout, fallback);
            }

            @Override
            public Async<PublishOutboundOutput> async(Duration timeout) {
                return output.async(timeout);
            }
        });
    }

    /** Reads HiveMQ's count now; reports and returns how many were dropped since the last check. */
    synchronized long check() {
        MetricRegistry registry = hivemq.get();
        Counter counter = registry == null ? null : registry.getCounters().get(HIVEMQ_DROPPED);
        if (counter == null) {
            return 0;
        }
        // HiveMQ's count first: a PUBLISH is counted here before HiveMQ counts its prevention, so
        // one arriving in between can only delay a report, never make one up.
        long hivemqDropped = counter.getCount();
        long total = hivemqDropped - intercepted.get();
        if (total <= seen) {
            return 0;
        }
        long added = total - seen;
        seen = total;
        dropped.increment(added);
        LOG.warn("region {}: MQTT broker dropped {} outgoing message(s) in the last {} s ({} in all), most likely because a "
                + "session's queue was full (edge.mqtt.queue.max.messages={}, edge.mqtt.queue.overflow={})", region, added,
                CHECK_SECONDS, total, settings.maxQueuedMessages(), settings.overflow().value());
        return added;
    }

    @Override
    public void close() {
        if (check != null) {
            check.cancel(false);
        }
        check(); // what was dropped just before the stop is still told
    }
}
