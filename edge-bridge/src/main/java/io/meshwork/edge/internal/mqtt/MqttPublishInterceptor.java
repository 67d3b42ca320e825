package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.cloudevents.CloudEvent;
import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.envelope.Routing;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.edge.internal.publish.EventPublisher;
import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each MQTT PUBLISH into a mesh event on {@code mesh.events} and keeps HiveMQ from
 * delivering it itself: every MQTT subscriber, here or in another region, gets the event once,
 * through Kafka, like every other subscriber of the mesh.
 *
 * <p>The PUBACK (QoS 1) is held until Kafka acknowledged the write. A refused PUBLISH is answered
 * as MQTT allows: MQTT 5 gets a PUBACK with a failure reason code and a reason string (0x90
 * topic name invalid; 0x83 implementation specific error for a bad attribute, user property or
 * payload size; 0x80 unspecified error when Kafka did not take the event); MQTT 3.1.1 has no
 * negative acknowledgement, so HiveMQ closes the connection. At QoS 0 a refusal is only logged.
 */
final class MqttPublishInterceptor implements PublishInboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(MqttPublishInterceptor.class);
    /** Longer than the producer's delivery timeout, so a Kafka failure is reported as itself. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(40);

    private final MqttEventReader reader;
    private final EventPublisher publisher;
    private final String region;
    private final String brokerId;
    private final Counter published;

    MqttPublishInterceptor(MqttEventReader reader, EventPublisher publisher, String region, String brokerId) {
        this.reader = reader;
        this.publisher = publisher;
        this.region = region;
        this.brokerId = brokerId;
        this.published = publishedCounter(region);
    }

    /** {@code mesh.edge.published{region, protocol="mqtt"}}: publishes and wills written to Kafka. */
    static Counter publishedCounter(String region) {
        return Counter.builder("mesh.edge.published").description("Events accepted at the edge")
                .tags("region", region, "protocol", "mqtt").register(MeshMetrics.registry());
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        PublishPacket packet = input.getPublishPacket();
        String clientId = input.getClientInformation().getClientId();
        if (packet.getRetain()) {
            // HiveMQ refuses retained publishes itself (retain is switched off); this only guards that.
            refuse(output, clientId, packet, AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "retained messages are not supported");
            return;
        }
        CloudEvent event;
        try {
            event = reader.read(clientId, packet.getTopic(), packet.getContentType().orElse(null), userProperties(packet),
                    bytes(packet.getPayload().orElse(null)));
        } catch (InvalidEventException e) {
            AckReasonCode code = MeshHeaders.MESH_TOPIC_EXTENSION.equals(e.field()) || "topic".equals(e.field())
                    ? AckReasonCode.TOPIC_NAME_INVALID : AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
            refuse(output, clientId, packet, code, e.field() + ": " + e.getMessage());
            return;
        }
        Async<PublishInboundOutput> async = output.async(ACK_TIMEOUT, TimeoutFallback.FAILURE,
                AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "the regional Kafka cluster did not acknowledge the event in time");
        publisher.publish(new MeshEvent(event, Routing.publishedAt(region, brokerId))).whenComplete((metadata, error) -> {
            try {
                if (error == null) {
                    published.increment();
                    output.preventPublishDelivery(AckReasonCode.SUCCESS);
                } else {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    LOG.warn("region {}: MQTT publish of event {} by {} to mesh.events failed: {}", region, event.getId(), clientId,
                            cause.toString());
                    output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR,
                            "the regional Kafka cluster did not acknowledge the event: " + cause.getMessage());
                }
            } catch (UnsupportedOperationException | IllegalStateException timedOut) {
                // The async timeout already answered the client.
            } finally {
                async.resume();
            }
        });
    }

    private void refuse(PublishInboundOutput output, String clientId, PublishPacket packet, AckReasonCode code, String reason) {
        LOG.debug("region {}: MQTT client {} publish to '{}' refused ({}): {}", region, clientId, packet.getTopic(), code, reason);
        output.preventPublishDelivery(code, reason);
    }

    static List<Map.Entry<String, String>> userProperties(PublishPacket packet) {
        return packet.getUserProperties().asList().stream()
                .map(property -> Map.entry(property.getName(), property.getValue()))
                .toList();
    }

    static byte[] bytes(ByteBuffer payload) {
        if (payload == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return bytes;
    }
}
