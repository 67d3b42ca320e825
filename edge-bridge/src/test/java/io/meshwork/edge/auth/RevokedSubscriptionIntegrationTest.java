package io.meshwork.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshwork.core.auth.AclEntry;
import io.meshwork.core.auth.AclRecords;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.StreamClient;
import io.meshwork.schema.v1.StreamControl;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonConnection;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deny entry that arrives on {@code mesh.acls} while a subscription it forbids is live ends that
 * subscription at once, with the protocol's own answer naming the pattern, and nothing of it is
 * delivered afterwards; the client's other subscriptions keep receiving. One Kafka, one edge with
 * auth on; the entries are written straight to the topic, as the control plane writes them. Each
 * protocol has its own principal, so the tests do not see each other's entries.
 */
@Tag("integration")
@Timeout(120)
class RevokedSubscriptionIntegrationTest {

    private static final String REGION = "us-east-1";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** How long an event that must not arrive is waited for, after a later event of another subscription arrived. */
    private static final Duration QUIET = Duration.ofMillis(500);

    @TempDir
    static Path keyDir;

    private static SigningKeys keys;
    private static EdgeOnKafka fixture;
    private static ManagedChannel channel;
    private static String publisher;
    private static KafkaProducer<String, byte[]> acls;

    @BeforeAll
    static void start() throws Exception {
        keys = SigningKeys.loadOrCreate(keyDir);
        fixture = EdgeOnKafka.start(REGION, config -> config.withGrpc(0).withMqtt(0).withAmqp(0), keys.authSettings("edge.auth"));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", fixture.edge.port("gRPC").orElseThrow()).usePlaintext().build();
        publisher = keys.mint(new SigningKeys.Grant("publisher", List.of("cut/#"), List.of(), List.of()), Duration.ofMinutes(10));
        acls = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() throws Exception {
        if (acls != null) {
            acls.close();
        }
        if (channel != null) {
            channel.shutdownNow();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A token that may receive everything under {@code cut/<protocol>/}. */
    private static String token(String principal, String protocol) {
        return keys.mint(new SigningKeys.Grant(principal, List.of(), List.of("cut/" + protocol + "/#"), List.of()), Duration.ofMinutes(10));
    }

    @Test
    void aWebSocketSubscriptionGetsAnErrorFrameAndItsSocketKeepsTheOtherSubscription() throws Exception {
        double before = revoked("websocket");
        try (StreamClient ws = StreamClient.connect(fixture.streamUrl, Map.of("Authorization", "Bearer " + token("ws-user", "ws")))) {
            ws.subscribe("cut/ws/secret/#");
            ws.subscribe("cut/ws/open/#");
            publish("cut/ws/secret/1");
            ws.awaitFrame(frame -> frame.getTopic().equals("cut/ws/secret/1"));

            deny("ws-user", "cut/ws/secret/#");

            StreamControl error = ws.awaitError(0);
            assertThat(error.getErrorCode()).isEqualTo("NOT_AUTHORIZED");
            assertThat(error.getField()).isEqualTo("topic_pattern");
            assertThat(error.getTopicPattern()).isEqualTo("cut/ws/secret/#");
            assertThat(error.getMessage()).contains("'cut/ws/secret/#'");
            publish("cut/ws/secret/2");
            publish("cut/ws/open/2");
            ws.awaitFrame(frame -> frame.getTopic().equals("cut/ws/open/2"));
            stillNot(() -> ws.events().stream().anyMatch(frame -> frame.getTopic().equals("cut/ws/secret/2")));
            assertThat(ws.isOpen()).isTrue();
        }
        assertThat(revoked("websocket") - before).isEqualTo(1);
    }

    @Test
    void aDurableSubscriptionIsCutLikeAnyOtherAndItsReaderStops() throws Exception {
        try (StreamClient ws = StreamClient.connect(fixture.streamUrl, Map.of("Authorization", "Bearer " + token("wsd-user", "wsd")))) {
            ws.send("{\"clientId\":\"t\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"cut/wsd/secret/#\",\"deliveryPolicy\":\"durable\"}");
            ws.awaitControl(StreamControl.Type.SUBSCRIBED, "cut/wsd/secret/#");
            ws.subscribe("cut/wsd/open/#");
            publish("cut/wsd/secret/1");
            ws.awaitFrame(frame -> frame.getTopic().equals("cut/wsd/secret/1"));

            deny("wsd-user", "cut/wsd/secret/#");

            StreamControl error = ws.awaitError(0);
            assertThat(error.getErrorCode()).isEqualTo("NOT_AUTHORIZED");
            assertThat(error.getTopicPattern()).isEqualTo("cut/wsd/secret/#");
            publish("cut/wsd/secret/2");
            publish("cut/wsd/open/2");
            ws.awaitFrame(frame -> frame.getTopic().equals("cut/wsd/open/2"));
            stillNot(() -> ws.events().stream().anyMatch(frame -> frame.getTopic().equals("cut/wsd/secret/2")));
        }
    }

    @Test
    void aGrpcStreamWithOnlyTheRevokedSubscriptionEndsPermissionDeniedAndAnotherStreamKeepsReceiving() throws Exception {
        String token = token("grpc-user", "grpc");
        RevocationClients.RecordingStream secret = RevocationClients.RecordingStream.subscribe(channel, token, "cut/grpc/secret/#");
        RevocationClients.RecordingStream open = RevocationClients.RecordingStream.subscribe(channel, token, "cut/grpc/open/#");
        publish("cut/grpc/secret/1");
        secret.awaitTopic("cut/grpc/secret/1");

        deny("grpc-user", "cut/grpc/secret/#");

        Throwable error = secret.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Status status = Status.fromThrowable(error);
        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).contains("'cut/grpc/secret/#'");
        assertThat(Status.trailersFromThrowable(error).get(Metadata.Key.of("mesh-error-code", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo("NOT_AUTHORIZED");
        publish("cut/grpc/open/2");
        open.awaitTopic("cut/grpc/open/2");
        assertThat(open.ended).isNotDone();
        open.requests.onCompleted();
    }

    @Test
    void aGrpcStreamThatHoldsAnotherSubscriptionGetsAnErrorFrameAndStaysUp() throws Exception {
        RevocationClients.RecordingStream stream = RevocationClients.RecordingStream.subscribe(channel, token("grpc2-user", "grpc2"), "cut/grpc2/secret/#");
        stream.subscribeAlso("cut/grpc2/open/#");

        deny("grpc2-user", "cut/grpc2/secret/#");

        await().atMost(WAIT).until(() -> !stream.errors.isEmpty());
        StreamControl error = stream.errors.get(0);
        assertThat(error.getErrorCode()).isEqualTo("NOT_AUTHORIZED");
        assertThat(error.getTopicPattern()).isEqualTo("cut/grpc2/secret/#");
        publish("cut/grpc2/secret/2");
        publish("cut/grpc2/open/2");
        stream.awaitTopic("cut/grpc2/open/2");
        stillNot(() -> stream.topics.contains("cut/grpc2/secret/2"));
        assertThat(stream.ended).isNotDone();
        stream.requests.onCompleted();
    }

    @Test
    void anAmqpReceiverLinkIsDetachedWithUnauthorizedAccessWhileTheConnectionAndItsOtherLinkStay() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Context context = vertx.getOrCreateContext();
            ProtonConnection connection = RevocationClients.amqpConnect(vertx, context, fixture.edge.port("AMQP").orElseThrow(), "amqp-user", token("amqp-user", "amqp"));
            RevocationClients.AmqpReceiver secret = RevocationClients.AmqpReceiver.attach(context, connection, "cut/amqp/secret/#");
            RevocationClients.AmqpReceiver open = RevocationClients.AmqpReceiver.attach(context, connection, "cut/amqp/open/#");
            publish("cut/amqp/secret/1");
            await().atMost(WAIT).until(() -> secret.addresses().contains("cut/amqp/secret/1"));

            deny("amqp-user", "cut/amqp/secret/#");

            ErrorCondition detached = secret.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(detached.getCondition().toString()).isEqualTo("amqp:unauthorized-access");
            assertThat(detached.getDescription()).contains("'cut/amqp/secret/#'");
            publish("cut/amqp/secret/2");
            publish("cut/amqp/open/2");
            await().atMost(WAIT).until(() -> open.addresses().contains("cut/amqp/open/2"));
            assertThat(open.closed).isNotDone();
            assertThat(connection.isDisconnected()).isFalse();
            stillNot(() -> secret.addresses().contains("cut/amqp/secret/2"));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anMqtt5ClientIsDisconnectedWithNotAuthorizedNamingTheFilterAndItsSessionKeepsOnlyTheOtherFilter() throws Exception {
        String clientId = "cut-" + UUID.randomUUID();
        String token = token("mqtt-user", "mqtt");
        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();
        MqttAsyncClient mqtt = mqtt5(clientId, token, true, received, disconnected);
        try {
            subscribe(mqtt, "cut/mqtt/secret/#");
            subscribe(mqtt, "cut/mqtt/open/#");
            publish("cut/mqtt/secret/1");
            await().atMost(WAIT).until(() -> received.contains("cut/mqtt/secret/1"));

            deny("mqtt-user", "cut/mqtt/secret/#");

            MqttDisconnectResponse response = disconnected.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.getReturnCode()).isEqualTo(0x87);
            assertThat(response.getReasonString()).contains("'cut/mqtt/secret/#'");
        } finally {
            mqtt.close(true);
        }
        // The persistent session kept the other filter, and only that one.
        publish("cut/mqtt/secret/2");
        MqttAsyncClient again = mqtt5(clientId, token, false, received, new CompletableFuture<>());
        try {
            publish("cut/mqtt/open/2");
            await().atMost(WAIT).until(() -> received.contains("cut/mqtt/open/2"));
            stillNot(() -> received.contains("cut/mqtt/secret/2"));
        } finally {
            again.disconnect().waitForCompletion(10_000);
            again.close(true);
        }
    }

    @Test
    void anMqtt311ClientKeepsItsConnectionAndOtherFilterWhileTheRevokedFilterStopsDelivering() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        org.eclipse.paho.client.mqttv3.MqttAsyncClient mqtt = MqttCredentialClients.mqtt3(fixture.edge.port("MQTT").orElseThrow(),
                "mqtt3-user", token("mqtt3-user", "mqtt3"));
        try {
            mqtt.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    received.add(topic);
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            mqtt.subscribe(new String[] {"cut/mqtt3/secret/#", "cut/mqtt3/open/#"}, new int[] {1, 1}).waitForCompletion(WAIT.toMillis());
            publish("cut/mqtt3/secret/1");
            await().atMost(WAIT).until(() -> received.contains("cut/mqtt3/secret/1"));
            double before = revoked("mqtt");

            deny("mqtt3-user", "cut/mqtt3/secret/#");

            await().atMost(WAIT).until(() -> revoked("mqtt") > before);
            // The session loses the filter; what HiveMQ already had under way for it is stopped on its way out.
            publish("cut/mqtt3/secret/2");
            publish("cut/mqtt3/open/2");
            await().atMost(WAIT).until(() -> received.contains("cut/mqtt3/open/2"));
            stillNot(() -> received.contains("cut/mqtt3/secret/2"));
            assertThat(mqtt.isConnected()).isTrue();
        } finally {
            mqtt.disconnect().waitForCompletion(10_000);
            mqtt.close(true);
        }
    }

    private static void deny(String principal, String filter) throws Exception {
        UUID id = UUID.randomUUID();
        acls.send(new ProducerRecord<>(MeshKafkaTopics.ACLS, id.toString(), AclRecords.encode(new AclEntry(id, principal,
                AclEntry.Action.SUBSCRIBE, AclEntry.Effect.DENY, TopicPattern.parse(filter), Instant.now())))).get();
    }

    private static void publish(String topic) throws Exception {
        HttpResponse<String> response = fixture.publisher.publish(Map.of("ce-specversion", "1.0", "ce-id", "evt-" + UUID.randomUUID(),
                "ce-type", "t", "ce-source", "/s", "ce-meshtopic", topic, "content-type", "application/json",
                "Authorization", "Bearer " + publisher), "{}".getBytes(StandardCharsets.UTF_8), "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    /** An event that must not arrive still has not, {@link #QUIET} after a later event of another subscription arrived. */
    private static void stillNot(java.util.concurrent.Callable<Boolean> arrived) {
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> !arrived.call());
    }

    private static double revoked(String protocol) {
        return MeshMetrics.registry().find("mesh.edge.auth.refused").tags("region", REGION, "protocol", protocol,
                "reason", "subscription_revoked").counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private static MqttAsyncClient mqtt5(String clientId, String token, boolean cleanStart, List<String> received,
                                         CompletableFuture<MqttDisconnectResponse> disconnected) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + fixture.edge.port("MQTT").orElseThrow(), clientId,
                new MemoryPersistence());
        client.setCallback(new MqttCredentialClients.Recorder(received, disconnected));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setAutomaticReconnect(false);
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(300L);
        options.setUserName("mqtt-user");
        options.setPassword(token.getBytes(StandardCharsets.UTF_8));
        client.connect(options).waitForCompletion(WAIT.toMillis());
        return client;
    }

    private static void subscribe(MqttAsyncClient client, String filter) throws MqttException {
        IMqttToken token = client.subscribe(new MqttSubscription(filter, 1));
        token.waitForCompletion(WAIT.toMillis());
        assertThat(token.getReasonCodes()).containsExactly(1);
    }
}
