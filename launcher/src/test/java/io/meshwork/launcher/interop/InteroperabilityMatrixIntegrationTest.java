package io.meshwork.launcher.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.SharedMesh;
import io.meshwork.launcher.interop.MatrixClients.Sent;
import io.meshwork.launcher.interop.MatrixClients.Subscribing;
import io.meshwork.schema.v1.EventEnvelope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every publishing protocol × every subscribing protocol, in the same region and across regions,
 * on the embedded three-region mesh: payload bytes, CloudEvents attributes and extensions arrive
 * intact, with the routing path of the region(s) crossed.
 */
@Tag("integration")
@Timeout(600)
class InteroperabilityMatrixIntegrationTest {

    private static final String PUBLISHING_REGION = "us-east-1";
    private static final List<String> SUBSCRIBING_REGIONS = List.of("us-east-1", "ap-southeast-1");
    private static final List<String> SUBSCRIBING_PROTOCOLS = List.of("WebSocket", "gRPC", "Kafka", "MQTT-3.1.1", "MQTT-5", "AMQP");
    private static final List<String> PUBLISHING_PROTOCOLS = List.of("REST", "WebSocket", "gRPC", "Kafka", "MQTT-3.1.1", "MQTT-5",
            "AMQP");

    @RegisterExtension
    static final SharedMesh SHARED = new SharedMesh();

    private static EmbeddedMesh mesh;
    private static final Map<String, Subscribing> subscribers = new LinkedHashMap<>();

    @BeforeAll
    static void startMeshAndSubscribers() throws Exception {
        mesh = SHARED.mesh();
        for (String region : SUBSCRIBING_REGIONS) {
            for (String protocol : SUBSCRIBING_PROTOCOLS) {
                Subscribing subscriber = switch (protocol) {
                    case "WebSocket" -> MatrixClients.webSocket(mesh.region(region));
                    case "gRPC" -> MatrixClients.grpc(mesh.region(region));
                    case "MQTT-3.1.1" -> MatrixClients.mqtt3(mesh.region(region));
                    case "MQTT-5" -> MatrixClients.mqtt5(mesh.region(region));
                    case "AMQP" -> AmqpMatrixClients.subscriber(mesh.region(region));
                    default -> MatrixClients.kafka(mesh, mesh.region(region));
                };
                subscribers.put(protocol + "@" + region, subscriber);
                subscriber.subscribe("matrix/" + protocol + "/#");
            }
        }
    }

    @AfterAll
    static void stopMesh() throws Exception {
        for (Subscribing subscriber : subscribers.values()) {
            subscriber.close();
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (String publisher : PUBLISHING_PROTOCOLS) {
            for (String subscriber : SUBSCRIBING_PROTOCOLS) {
                for (String region : SUBSCRIBING_REGIONS) {
                    cases.add(Arguments.of(publisher, subscriber, region));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} in us-east-1 -> {1} in {2}")
    @MethodSource("matrix")
    void eventArrivesIntact(String publisher, String subscriber, String subscriberRegion) throws Exception {
        String id = "matrix-" + UUID.randomUUID();
        Sent event = new Sent(id, "matrix/" + subscriber + "/" + publisher,
                "{\"id\":\"" + id + "\",\"publisher\":\"" + publisher + "\",\"amountCents\":4900}");

        MatrixClients.publishers().get(publisher).publish(mesh, PUBLISHING_REGION, event);

        EventEnvelope received = subscribers.get(subscriber + "@" + subscriberRegion).awaitEvent(event.id());
        assertThat(received.getTopic()).isEqualTo(event.topic());
        assertThat(received.getPayloadBytes().toStringUtf8()).isEqualTo(event.payload());
        if (subscriber.equals("MQTT-3.1.1")) {
            return; // MQTT 3.1.1 delivers topic and payload only
        }
        assertThat(received.getHeadersMap()).containsEntry("specversion", "1.0");
        if (!publisher.equals("MQTT-3.1.1")) { // MQTT 3.1.1 carries no properties: the edge names the event
            assertThat(received.getHeadersMap())
                    .containsEntry("datacontenttype", "application/json")
                    .containsEntry("id", event.id())
                    .containsEntry("type", Sent.TYPE)
                    .containsEntry("source", Sent.SOURCE)
                    .containsEntry(Sent.EXTENSION, Sent.EXTENSION_VALUE);
        }
        assertThat(received.getRoutingPathList()).containsExactlyElementsOf(subscriberRegion.equals(PUBLISHING_REGION)
                ? List.of(PUBLISHING_REGION) : List.of(PUBLISHING_REGION, subscriberRegion));
    }
}
