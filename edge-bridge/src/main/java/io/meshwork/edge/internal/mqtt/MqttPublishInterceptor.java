package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.EdgeAuth;
import io.meshwork.edge.internal.ingress.Accepted;
import io.meshwork.edge.internal.ingress.Ingress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each MQTT PUBLISH into a mesh event on {@code mesh.events} through the edge's
 * {@link Ingress} and keeps HiveMQ from delivering it itself: every MQTT subscriber, here or in
 * another region, gets the event once, through Kafka, like every other subscriber of the mesh.
 *
 * <p>The PUBACK (QoS 1) or PUBREC (QoS 2) is held until Kafka acknowledged the write; the event
 * carries its publish QoS ({@link PublishQos}). A refused PUBLISH is answered
 * as MQTT allows: MQTT 5 gets a PUBACK or PUBREC with a failure reason code and a reason string (0x90
 * topic name invalid; 0x83 implementation specific error for a bad attribute, user property or
 * payload size; 0x80 unspecified error when Kafka did not take the event; 0x97 quota exceeded while
 * the topic is throttled for a lagging durable subscription); MQTT 3.1.1 has no
 * negative acknowledgement, so HiveMQ closes the connection. At QoS 0 a refusal is only logged.
 * A retained PUBLISH is also kept as the topic's retained message ({@link MqttRetainedPublishes}).
 */
final class MqttPublishInterceptor implements PublishInboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(MqttPublishInterceptor.class);
    /** Longer than the producer's delivery timeout, so a Kafka failure is reported as itself. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(40);

    private final MqttEventReader reader;
    private final Ingress ingress;
    private final String region;
    private final MqttRetainedPublishes retained;
    private final Qos2Receipts receipts;
    private final EdgeAuth auth;

    /** @param ingress answers on HiveMQ's extension executor */
    MqttPublishInterceptor(MqttEventReader reader, Ingress ingress, String region, MqttRetainedPublishes retained) {
        this(reader, ingress, region, retained, null);
    }

    /**
     * @param ingress answers on HiveMQ's extension executor
     * @param auth    checks the client's principal may publish on the topic; {@code null}: auth off
     */
    MqttPublishInterceptor(MqttEventReader reader, Ingress ingress, String region, MqttRetainedPublishes retained, EdgeAuth auth) {
        this.auth = auth;
        this.reader = reader;
        this.ingress = ingress;
        this.region = region;
        this.retained = retained;
        this.receipts = new Qos2Receipts(region);
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        long received = System.nanoTime();
        PublishPacket packet = input.getPublishPacket();
        String clientId = input.getClientInformation().getClientId();
        // HiveMQ runs this interceptor before its publish authorizer, and the interceptor takes every
        // publish away from HiveMQ: the principal is checked here, before the event reaches the mesh.
        Refusal forbidden = auth == null || !auth.enabled() ? null
                : MqttAccessAuthorizer.publishRefusal(auth, input.getConnectionInformation().getConnectionAttributeStore(),
                        packet.getTopic()).orElse(null);
        if (forbidden != null) {
            output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, forbidden.getMessage());
            return;
        }
        CompletableFuture<Accepted> published = packet.getRetain() ? retained.publish(received, clientId, packet)
                : ingress.publish(received, () -> PublishQos.stamp(reader.read(clientId, packet.getTopic(),
                MqttMessageProperties.of(packet), bytes(packet.getPayload().orElse(null))), packet.getQos()));
        if (packet.getQos() == Qos.EXACTLY_ONCE) {
            receipts.writing(clientId, packet.getPacketId(), published);
        }
        if (published.isDone()) {
            answer(output, published); // refused as read: answered at once, no async round
            return;
        }
        Async<PublishInboundOutput> async = output.async(ACK_TIMEOUT, TimeoutFallback.FAILURE,
                AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "the regional Kafka cluster did not acknowledge the event in time");
        published.whenComplete((accepted, error) -> {
            try {
                answer(output, published);
            } catch (UnsupportedOperationException | IllegalStateException timedOut) {
                // The async timeout already answered the client.
            } finally {
                async.resume();
            }
        });
    }

    private static void answer(PublishInboundOutput output, CompletableFuture<Accepted> published) {
        Throwable error = published.handle((accepted, failure) -> failure).join();
        if (error == null) {
            output.preventPublishDelivery(AckReasonCode.SUCCESS);
            return;
        }
        Refusal refusal = Refusal.of(error);
        output.preventPublishDelivery(reasonCode(refusal), refusal.error().isClientFault() ? refusal.describe() : refusal.getMessage());
    }

    /** Checks the PUBRECs HiveMQ sends on its own for repeated QoS 2 packet identifiers (see {@link Qos2Receipts}). */
    Qos2Receipts receipts() {
        return receipts;
    }

    /** The MQTT 5 PUBACK reason code for a refusal. */
    static AckReasonCode reasonCode(Refusal refusal) {
        return switch (refusal.error()) {
            case INVALID_TOPIC, CONFLICTING_TOPIC -> AckReasonCode.TOPIC_NAME_INVALID;
            case BROKER_UNAVAILABLE, SCHEMA_UNAVAILABLE -> AckReasonCode.UNSPECIFIED_ERROR;
            case SCHEMA_VIOLATION -> AckReasonCode.PAYLOAD_FORMAT_INVALID;
            case THROTTLED -> AckReasonCode.QUOTA_EXCEEDED;
            case NOT_AUTHORIZED, UNAUTHENTICATED -> AckReasonCode.NOT_AUTHORIZED;
            default -> AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
        };
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
