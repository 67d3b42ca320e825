package io.meshwork.edge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshwork.core.auth.AuthSettings;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.tls.TlsSettings;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.SchemaSettings;
import io.meshwork.edge.StreamClient;
import io.meshwork.edge.amqp.AmqpTestAccess;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.PublishServiceGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Payload schemas end to end on one embedded Kafka: schemas registered in the registry through its
 * REST API v3 are enforced by an edge on REST, gRPC, MQTT 5 and AMQP; two more edges show both
 * policies for a registry that cannot be reached. The registry is {@link RegistryV3Stand} unless
 * {@code -Dmeshwork.apicurio.url} names a real Apicurio Registry 3.x.
 */
@Tag("integration")
@Timeout(120)
class SchemaValidationIntegrationTest {

    private static final String REGION = "us-east-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ORDER_SCHEMA = """
            {"type": "object", "required": ["id", "amount"],
             "properties": {"id": {"type": "string"}, "amount": {"type": "number"}}}""";
    private static final String READING_SCHEMA = """
            {"type": "record", "name": "Reading", "fields": [
              {"name": "sensor", "type": "string"}, {"name": "value", "type": "double"}]}""";
    private static final String VALID_ORDER = "{\"id\":\"o1\",\"amount\":12.5}";
    private static final String BAD_ORDER = "{\"id\":\"o1\",\"amount\":\"ten\"}";

    private static RegistryV3Stand stand;
    private static URI registry;
    private static EmbeddedKafkaCluster kafka;
    private static EdgeBridge checked;
    private static EdgeBridge accepting;
    private static EdgeBridge refusing;
    private static ManagedChannel grpc;
    private static String orders;
    private static String readings;

    @BeforeAll
    static void start() throws Exception {
        String external = System.getProperty("meshwork.apicurio.url");
        if (external == null || external.isBlank()) {
            stand = RegistryV3Stand.start();
            registry = stand.url();
        } else {
            registry = URI.create(external);
        }
        // Unique ids, so that a real registry can be reused between runs.
        String run = UUID.randomUUID().toString().substring(0, 8);
        orders = "orders-" + run;
        readings = "readings-" + run;
        register(orders, "JSON", "schema/" + run + "/orders/#", ORDER_SCHEMA);
        register(readings, "AVRO", "schema/" + run + "/readings/+", READING_SCHEMA);
        kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(REGION));
        new TopicApplier(kafka.admin(), REGION).apply(TopicContract.embedded(REGION, List.of()).topics(), TopicApplier.Mode.CREATE_MISSING);
        EdgeConfig base = EdgeConfig.defaults(REGION, KafkaClients.of(kafka.bootstrapServers())).withHttp("127.0.0.1", 0);
        checked = EdgeBridge.start(base.withGrpc(0).withMqtt(0).withAmqp(0), TlsSettings.OFF, AuthSettings.OFF,
                SchemaSettings.registry(registry).withCacheTtl(Duration.ofSeconds(2)));
        // Port 1 (tcpmux) is served by nothing here; a free port picked now could be some edge's HTTP port a moment later.
        URI nowhere = URI.create("http://127.0.0.1:1");
        // Not a registry: the checked edge's HTTP port answers 404 to every registry call.
        URI notARegistry = URI.create("http://127.0.0.1:" + checked.httpPort());
        accepting = EdgeBridge.start(base.withGrpc(-1).withMqtt(-1), TlsSettings.OFF, AuthSettings.OFF,
                SchemaSettings.registry(notARegistry).withUnreachable(SchemaSettings.Unreachable.ACCEPT));
        refusing = EdgeBridge.start(base.withGrpc(-1).withMqtt(-1), TlsSettings.OFF, AuthSettings.OFF,
                SchemaSettings.registry(nowhere).withUnreachable(SchemaSettings.Unreachable.REFUSE));
        grpc = NettyChannelBuilder.forAddress("127.0.0.1", checked.port("gRPC").orElseThrow()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (grpc != null) {
            grpc.shutdownNow();
        }
        for (EdgeBridge edge : new EdgeBridge[] {checked, accepting, refusing}) {
            if (edge != null) {
                edge.close();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        if (stand != null) {
            stand.close();
        }
    }

    @Test
    void aValidPayloadIsDeliveredWithItsSchemaAsDataschema() throws Exception {
        String topic = ordersTopic("eu");
        String avroTopic = readingsTopic("r1");
        try (StreamClient subscriber = StreamClient.connect(stream(checked))) {
            subscriber.subscribe(topicRoot() + "/#");
            String id = newId();
            assertThat(rest(checked, topic, id, VALID_ORDER).statusCode()).isEqualTo(202);
            EventEnvelope order = subscriber.awaitFrame(frame -> frame.getEventId().equals(id));
            assertThat(order.getHeadersMap().get("dataschema"))
                    .isEqualTo(registry + "/apis/registry/v3/groups/meshwork/artifacts/" + orders + "/versions/1/content");
            String avroId = newId();
            assertThat(rest(checked, avroTopic, avroId, "{\"sensor\":\"s1\",\"value\":21.5}").statusCode()).isEqualTo(202);
            assertThat(subscriber.awaitFrame(frame -> frame.getEventId().equals(avroId)).getHeadersMap().get("dataschema"))
                    .endsWith("/artifacts/" + readings + "/versions/1/content");
            // A topic no schema is bound to is not checked and gets no dataschema.
            String freeId = newId();
            assertThat(rest(checked, topicRoot() + "/free", freeId, "not even json").statusCode()).isEqualTo(202);
            assertThat(subscriber.awaitFrame(frame -> frame.getEventId().equals(freeId)).getHeadersMap()).doesNotContainKey("dataschema");
        }
    }

    @Test
    void anInvalidPayloadIsRefusedOnEveryProtocolNamingThePathAndNeverAppended() throws Exception {
        double invalidBefore = checks("invalid");
        try (StreamClient subscriber = StreamClient.connect(stream(checked))) {
            subscriber.subscribe(topicRoot() + "/#");
            List<String> refusedIds = new java.util.ArrayList<>();

            String restId = newId();
            refusedIds.add(restId);
            HttpResponse<String> rest = rest(checked, ordersTopic("rest"), restId, BAD_ORDER);
            JsonNode body = JSON.readTree(rest.body());
            assertThat(rest.statusCode()).isEqualTo(400);
            assertThat(body.path("error").asText()).isEqualTo("SCHEMA_VIOLATION");
            assertThat(body.path("field").asText()).isEqualTo("/amount");
            assertThat(body.path("message").asText()).contains(orders);
            String missingId = newId();
            refusedIds.add(missingId);
            assertThat(JSON.readTree(rest(checked, ordersTopic("rest"), missingId, "{\"id\":\"o2\"}").body()).path("field").asText())
                    .isEqualTo("/amount");
            String avroId = newId();
            refusedIds.add(avroId);
            assertThat(JSON.readTree(rest(checked, readingsTopic("r2"), avroId, "{\"sensor\":\"s1\",\"value\":\"hot\"}").body())
                    .path("field").asText()).isEqualTo("/value");

            String grpcId = newId();
            refusedIds.add(grpcId);
            assertThatThrownBy(() -> PublishServiceGrpc.newBlockingStub(grpc).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .publish(PublishRequest.newBuilder().setEventId(grpcId).setType("order.created").setSource("/test")
                            .setTopic(ordersTopic("grpc")).setPayloadBytes(ByteString.copyFromUtf8(BAD_ORDER)).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith("/amount: ");
                    });

            MqttAsyncClient mqtt = mqtt5(checked.port("MQTT").orElseThrow());
            try {
                IMqttToken puback = mqttPublish(mqtt, ordersTopic("mqtt"), BAD_ORDER);
                assertThat(puback.getReasonCodes()).containsExactly(0x99);
                assertThat(puback.getResponseProperties().getReasonString()).startsWith("/amount: ");
            } finally {
                mqtt.disconnect().waitForCompletion(5_000);
                mqtt.close();
            }

            DeliveryState amqp = AmqpTestAccess.send(checked.port("AMQP").orElseThrow(), ordersTopic("amqp"), BAD_ORDER);
            assertThat(amqp).isInstanceOf(Rejected.class);
            assertThat(((Rejected) amqp).getError().getCondition().toString()).isEqualTo("amqp:invalid-field");
            assertThat(((Rejected) amqp).getError().getDescription()).startsWith("/amount: ");

            // Nothing refused was appended: a valid event published after them all arrives, none of them does.
            String sentinel = newId();
            assertThat(rest(checked, ordersTopic("rest"), sentinel, VALID_ORDER).statusCode()).isEqualTo(202);
            subscriber.awaitFrame(frame -> frame.getEventId().equals(sentinel));
            assertThat(subscriber.events()).extracting(EventEnvelope::getEventId).doesNotContainAnyElementsOf(refusedIds);
            assertThat(subscriber.events()).noneMatch(frame -> frame.getTopic().contains("/orders/mqtt")
                    || frame.getTopic().contains("/orders/amqp") || frame.getTopic().contains("/orders/grpc"));
        }
        assertThat(checks("invalid") - invalidBefore).isGreaterThanOrEqualTo(6);
    }

    @Test
    void anUnreachableRegistryAcceptsAndMarksOrRefusesAsConfigured() throws Exception {
        try (StreamClient subscriber = StreamClient.connect(stream(accepting))) {
            subscriber.subscribe(topicRoot() + "/#");
            String id = newId();
            assertThat(rest(accepting, ordersTopic("unchecked"), id, BAD_ORDER).statusCode()).isEqualTo(202);
            Map<String, String> headers = subscriber.awaitFrame(frame -> frame.getEventId().equals(id)).getHeadersMap();
            assertThat(headers).containsEntry("schemaunchecked", "registry-unreachable").doesNotContainKey("dataschema");
        }
        HttpResponse<String> refused = rest(refusing, ordersTopic("unchecked"), newId(), VALID_ORDER);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("SCHEMA_UNAVAILABLE");
        assertThat(checks("unchecked")).isGreaterThanOrEqualTo(1);
        assertThat(checks("unavailable")).isGreaterThanOrEqualTo(1);
    }

    private static void register(String artifactId, String type, String pattern, String content) throws Exception {
        String body = JSON.createObjectNode().put("artifactId", artifactId).put("artifactType", type)
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("labels", JSON.createObjectNode().put("mesh.topic", pattern))
                .set("firstVersion", JSON.createObjectNode().put("version", "1").set("content", JSON.createObjectNode()
                        .put("content", content).put("contentType", "application/json")))
                .toString();
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(registry + "/apis/registry/v3/groups/meshwork/artifacts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    private static HttpResponse<String> rest(EdgeBridge edge, String topic, String id, String payload) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.httpPort() + "/v1/events/publish"))
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-type", "order.created")
                .header("ce-source", "/test").header("ce-meshtopic", topic).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static MqttAsyncClient mqtt5(int port) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, "schema-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setAutomaticReconnect(false);
        client.connect(options).waitForCompletion(20_000);
        return client;
    }

    private static IMqttToken mqttPublish(MqttAsyncClient client, String topic, String payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        IMqttToken token = client.publish(topic, message);
        try {
            token.waitForCompletion(20_000);
        } catch (MqttException negative) {
            if (!token.isComplete()) {
                throw negative;
            }
        }
        return token;
    }

    private static double checks(String result) {
        return MeshMetrics.registry().find("mesh.edge.schema.checks").tags("region", REGION, "result", result).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private static String topicRoot() {
        return "schema/" + orders.substring("orders-".length());
    }

    private static String ordersTopic(String leaf) {
        return topicRoot() + "/orders/" + leaf;
    }

    private static String readingsTopic(String sensor) {
        return topicRoot() + "/readings/" + sensor;
    }

    private static String stream(EdgeBridge edge) {
        return "ws://127.0.0.1:" + edge.httpPort() + "/v1/stream";
    }

    private static String newId() {
        return "evt-" + UUID.randomUUID();
    }
}
