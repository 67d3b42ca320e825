package io.meshwork.launcher.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.meshwork.controlplane.ControlPlane;
import io.meshwork.controlplane.ControlPlaneConfig;
import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.core.auth.AclEntry;
import io.meshwork.core.auth.AclRecords;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.StreamClient;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.PublishServiceGrpc;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.topology.TopologyLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACL entries made through the control plane's API reach a secure edge over {@code mesh.acls} and
 * change what a principal may do on REST, WebSocket, gRPC and MQTT within seconds: an allow entry
 * grants a token without claims, a deny entry beats a claim, a deleted entry stops counting, a
 * freshly started edge knows every entry before its first client, and the control plane repairs
 * {@code mesh.acls} when it differs from the database. One embedded Kafka region.
 */
@Tag("integration")
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AclEnforcementIntegrationTest {

    private static final String REGION = "us-east-1";
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path keyDir;

    private static SigningKeys keys;
    private static EmbeddedKafkaCluster kafka;
    private static KafkaClients clients;
    private static ControlPlane plane;
    private static EdgeBridge edge;
    private static ManagedChannel channel;
    private static String admin;
    private static String nobody;
    private static String claimed;
    private static String nobodyAllowPublish;
    private static String nobodyAllowSubscribe;
    private static String claimedDeny;

    @BeforeAll
    static void start() throws Exception {
        keys = SigningKeys.loadOrCreate(keyDir);
        kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(REGION));
        new TopicApplier(kafka.admin(), REGION).apply(TopicContract.embedded(REGION, List.of()).topics(), TopicApplier.Mode.CREATE_MISSING);
        clients = KafkaClients.of(kafka.bootstrapServers());
        plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withRegionKafka(Map.of(REGION, clients)),
                TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE), null, List.of(), keys.authSettings(ControlPlaneKeys.AUTH));
        edge = startEdge();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", edge.port("gRPC").orElseThrow()).usePlaintext().build();
        admin = keys.mint(new SigningKeys.Grant("ops", List.of(), List.of(), List.of("admin")), Duration.ofMinutes(10));
        nobody = keys.mint(new SigningKeys.Grant("nobody", List.of(), List.of(), List.of()), Duration.ofMinutes(10));
        claimed = keys.mint(new SigningKeys.Grant("claimed", List.of("orders/#"), List.of("orders/#"), List.of()), Duration.ofMinutes(10));
    }

    private static EdgeBridge startEdge() throws Exception {
        return EdgeBridge.start(EdgeConfig.defaults(REGION, clients).withHttp("127.0.0.1", 0).withGrpc(0).withMqtt(0),
                keys.authSettings("edge.auth"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (edge != null) {
            edge.close();
        }
        if (plane != null) {
            plane.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void aTokenWithoutClaimsIsRefusedAndOnlyAnAdminMayChangeAcls() throws Exception {
        assertThat(restPublish(edge, nobody, "acl/one").statusCode()).isEqualTo(403);
        try (StreamClient ws = StreamClient.connect(streamUrl(edge), bearer(nobody))) {
            ws.send(subscribe("acl/#"));
            assertThat(ws.awaitError(0).getErrorCode()).isEqualTo("NOT_AUTHORIZED");
        }
        String body = entry("nobody", "publish", "allow", "acl/#");
        assertThat(api("POST", "/v1/acls", claimed, body).statusCode()).isEqualTo(403);
        assertThat(api("POST", "/v1/acls", null, body).statusCode()).isEqualTo(401);
        assertThat(api("GET", "/v1/acls", claimed, null).statusCode()).isEqualTo(403);
    }

    @Test
    @Order(2)
    void allowEntriesLetATokenWithoutClaimsPublishAndSubscribeOnEveryProtocol() throws Exception {
        nobodyAllowPublish = create(entry("nobody", "publish", "allow", "acl/#"));
        nobodyAllowSubscribe = create(entry("nobody", "subscribe", "allow", "acl/#"));

        await().atMost(WITHIN).until(() -> restPublish(edge, nobody, "acl/rest").statusCode() == 202);
        try (StreamClient ws = StreamClient.connect(streamUrl(edge), bearer(nobody))) {
            ws.subscribe("acl/#");
            MqttAsyncClient mqtt = mqtt5(nobody);
            try {
                assertThat(mqttSubscribe(mqtt, "acl/mqtt/#").getReasonCodes()).containsExactly(1);
                assertThat(mqttPublish(mqtt, "acl/mqtt/1").getReasonCodes()).containsExactly(0);
                assertThat(grpcPublish(nobody, "acl/grpc").getStatus()).isEqualTo("ACCEPTED");
                assertThat(restPublish(edge, nobody, "acl/rest2").statusCode()).isEqualTo(202);
                for (String topic : List.of("acl/mqtt/1", "acl/grpc", "acl/rest2")) {
                    ws.awaitFrame(frame -> frame.getTopic().equals(topic));
                }
            } finally {
                mqtt.disconnectForcibly(1000);
                mqtt.close();
            }
        }
        assertThat(restPublish(edge, nobody, "other/rest").statusCode()).as("only what the entries grant").isEqualTo(403);
    }

    @Test
    @Order(3)
    void aDenyEntryOverridesAClaimThatAllows() throws Exception {
        assertThat(restPublish(edge, claimed, "orders/secret/1").statusCode()).isEqualTo(202);
        claimedDeny = create(entry("claimed", "publish", "deny", "orders/secret/#"));
        create(entry("claimed", "subscribe", "deny", "orders/secret/#"));

        await().atMost(WITHIN).until(() -> restPublish(edge, claimed, "orders/secret/1").statusCode() == 403);
        assertThat(restPublish(edge, claimed, "orders/eu/1").statusCode()).isEqualTo(202);
        assertThatGrpcRefuses(claimed, "orders/secret/2");
        MqttAsyncClient mqtt = mqtt5(claimed);
        try {
            assertThat(mqttPublish(mqtt, "orders/secret/3").getReasonCodes()).containsExactly(0x87);
            assertThat(mqttSubscribe(mqtt, "orders/#").getReasonCodes()).as("reaches the denied tree").containsExactly(0x87);
            assertThat(mqttSubscribe(mqtt, "orders/eu/#").getReasonCodes()).containsExactly(1);
        } finally {
            mqtt.disconnectForcibly(1000);
            mqtt.close();
        }
    }

    @Test
    @Order(4)
    void aRestartedEdgeKnowsEveryEntryBeforeItsFirstClient() throws Exception {
        try (EdgeBridge fresh = startEdge()) {
            assertThat(restPublish(fresh, nobody, "acl/fresh").statusCode()).isEqualTo(202);
            assertThat(restPublish(fresh, claimed, "orders/secret/fresh").statusCode()).isEqualTo(403);
        }
    }

    @Test
    @Order(5)
    void deletedEntriesNoLongerCount() throws Exception {
        assertThat(api("DELETE", "/v1/acls/" + claimedDeny, admin, null).statusCode()).isEqualTo(204);
        assertThat(api("DELETE", "/v1/acls/" + nobodyAllowPublish, admin, null).statusCode()).isEqualTo(204);

        await().atMost(WITHIN).until(() -> restPublish(edge, claimed, "orders/secret/4").statusCode() == 202);
        await().atMost(WITHIN).until(() -> restPublish(edge, nobody, "acl/after-delete").statusCode() == 403);
        try (StreamClient ws = StreamClient.connect(streamUrl(edge), bearer(nobody))) {
            ws.subscribe("acl/#"); // the subscribe entry is still there
            assertThat(ws.hasControl(StreamControl.Type.SUBSCRIBED, "acl/#")).isTrue();
        }
        assertThat(api("DELETE", "/v1/acls/" + nobodyAllowSubscribe, admin, null).statusCode()).isEqualTo(204);
        await().atMost(WITHIN).untilAsserted(() -> {
            try (StreamClient ws = StreamClient.connect(streamUrl(edge), bearer(nobody))) {
                ws.send(subscribe("acl/#"));
                assertThat(ws.awaitError(0).getErrorCode()).isEqualTo("NOT_AUTHORIZED");
            }
        });
    }

    @Test
    @Order(6)
    void theControlPlaneRepairsMeshAclsChangedBehindItsBack() throws Exception {
        String kept = create(entry("claimed", "publish", "deny", "orders/kept/#"));
        UUID ghost = UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(MeshKafkaTopics.ACLS, kept, null)).get();
            producer.send(new ProducerRecord<>(MeshKafkaTopics.ACLS, ghost.toString(), AclRecords.encode(new AclEntry(ghost, "ghost",
                    AclEntry.Action.PUBLISH, AclEntry.Effect.ALLOW, TopicPattern.parse("#"), Instant.now())))).get();
        }
        // The reconciliation rewrites the entry the database holds and tombstones the one it does not.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Map<String, byte[]> newest = newestAclRecords();
            return newest.get(kept) != null && newest.containsKey(ghost.toString()) && newest.get(ghost.toString()) == null;
        });
        String ghostToken = keys.mint(new SigningKeys.Grant("ghost", List.of(), List.of(), List.of()), Duration.ofMinutes(5));
        await().atMost(WITHIN).until(() -> restPublish(edge, claimed, "orders/kept/1").statusCode() == 403
                && restPublish(edge, ghostToken, "anything").statusCode() == 403);
    }

    /** The newest value of each key of {@code mesh.acls} ({@code null}: a tombstone). */
    private static Map<String, byte[]> newestAclRecords() {
        Map<String, byte[]> newest = new HashMap<>();
        TopicPartition partition = new TopicPartition(MeshKafkaTopics.ACLS, 0);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> newest.put(record.key(), record.value()));
            }
        }
        return newest;
    }

    private static String create(String body) throws Exception {
        HttpResponse<String> created = api("POST", "/v1/acls", admin, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("aclId").asText();
    }

    private static String entry(String principal, String action, String effect, String filter) {
        return "{\"principal\":\"" + principal + "\",\"action\":\"" + action + "\",\"effect\":\"" + effect + "\",\"topicFilter\":\""
                + filter + "\"}";
    }

    private static HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> restPublish(EdgeBridge target, String token, String topic) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.httpPort() + "/v1/events/publish"))
                .header("ce-specversion", "1.0").header("ce-id", "evt-" + UUID.randomUUID()).header("ce-type", "t")
                .header("ce-source", "/s").header("ce-meshtopic", topic).header("content-type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String streamUrl(EdgeBridge target) {
        return "ws://127.0.0.1:" + target.httpPort() + "/v1/stream";
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static String subscribe(String pattern) {
        return "{\"clientId\":\"t\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + pattern + "\"}";
    }

    private static io.meshwork.schema.v1.PublishResponse grpcPublish(String token, String topic) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return PublishServiceGrpc.newBlockingStub(ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata)))
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .publish(PublishRequest.newBuilder().setEventId("evt-" + UUID.randomUUID()).setType("t").setSource("/s")
                        .setTopic(topic).setPayloadBytes(ByteString.copyFromUtf8("{}")).build());
    }

    private static void assertThatGrpcRefuses(String token, String topic) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> grpcPublish(token, topic))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    private static MqttAsyncClient mqtt5(String token) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + edge.port("MQTT").orElseThrow(), "acl-" + UUID.randomUUID(),
                new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setAutomaticReconnect(false);
        options.setPassword(token.getBytes(StandardCharsets.UTF_8));
        client.connect(options).waitForCompletion(20_000);
        return client;
    }

    private static IMqttToken mqttSubscribe(MqttAsyncClient client, String filter) throws MqttException {
        return completed(client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}, null, null, null));
    }

    private static IMqttToken mqttPublish(MqttAsyncClient client, String topic) throws MqttException {
        MqttMessage message = new MqttMessage("{}".getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        return completed(client.publish(topic, message));
    }

    // A negative acknowledgement completes the token with an exception; its reason codes are what the test reads.
    private static IMqttToken completed(IMqttToken token) throws MqttException {
        try {
            token.waitForCompletion(20_000);
        } catch (MqttException e) {
            if (!token.isComplete()) {
                throw e;
            }
        }
        return token;
    }
}
