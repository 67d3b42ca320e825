package io.meshwork.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.meshwork.core.auth.AuthSettings;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.StreamClient;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import io.meshwork.schema.v1.SubscriptionServiceGrpc;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token that expires during a connection ends that connection's deliveries, on each protocol
 * that holds one (DESIGN.md 2.6 plus issue 16): WebSocket, gRPC, MQTT 5 and 3.1.1, AMQP. Tokens
 * live a few seconds and the edge allows no clock skew, so each test waits about that long. Also:
 * an MQTT will on a topic the principal may not publish is refused at CONNECT.
 */
@Tag("integration")
@Timeout(120)
class TokenExpiryIntegrationTest {

    private static final String REGION = "us-east-1";
    /** Long enough to connect and subscribe on a busy machine; short enough to wait for. */
    private static final Duration SHORT_LIFE = Duration.ofSeconds(5);
    private static final Duration UNTIL_CUT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path keyDir;

    private static SigningKeys keys;
    private static EdgeOnKafka fixture;
    private static ManagedChannel channel;
    private static String publisher;

    @BeforeAll
    static void start() throws Exception {
        keys = SigningKeys.loadOrCreate(keyDir);
        AuthSettings noSkew = new AuthSettings(true, keys.jwksFile(), null, SigningKeys.ISSUER, SigningKeys.AUDIENCE,
                Duration.ZERO, "edge.auth");
        fixture = EdgeOnKafka.start(REGION, config -> config.withGrpc(0).withMqtt(0).withAmqp(0), noSkew);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", fixture.edge.port("gRPC").orElseThrow()).usePlaintext().build();
        publisher = keys.mint(new SigningKeys.Grant("publisher", List.of("expiring/#"), List.of(), List.of()), Duration.ofMinutes(10));
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String shortLived(String principal) {
        return keys.mint(new SigningKeys.Grant(principal, List.of("expiring/#", "wills/allowed/#"), List.of("expiring/#"), List.of()),
                SHORT_LIFE);
    }

    @Test
    void aWebSocketGetsATokenExpiredFrameThenACloseWith1008() throws Exception {
        double before = expiredConnections("websocket");
        try (StreamClient ws = StreamClient.connect(fixture.streamUrl, Map.of("Authorization", "Bearer " + shortLived("ws-user")))) {
            ws.subscribe("expiring/ws/#");
            assertThat(restPublish("expiring/ws/before")).isEqualTo(202);
            ws.awaitFrame(frame -> frame.getTopic().equals("expiring/ws/before"));

            await().atMost(UNTIL_CUT).until(() -> ws.closeStatus() != -1);
            assertThat(ws.closeStatus()).isEqualTo(1008);
            StreamControl error = ws.awaitError(0);
            assertThat(error.getErrorCode()).isEqualTo("TOKEN_EXPIRED");
            assertThat(error.getField()).isEqualTo("authorization");
            assertThat(error.getMessage()).contains("expired");
        }
        await().atMost(UNTIL_CUT).until(() -> fixture.edge.isHealthy());
        assertThat(expiredConnections("websocket") - before).isEqualTo(1);
    }

    @Test
    void aGrpcSubscribeStreamEndsUnauthenticatedWhenItsTokenExpires() throws Exception {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + shortLived("grpc-user"));
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        CompletableFuture<Void> received = new CompletableFuture<>();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<SubscriptionRequest> requests = SubscriptionServiceGrpc.newStub(
                ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata))).subscribe(new StreamObserver<>() {
                    @Override
                    public void onNext(EventEnvelope frame) {
                        if (frame.hasControl() && frame.getControl().getType() == StreamControl.Type.SUBSCRIBED) {
                            subscribed.complete(null);
                        } else if (frame.getTopic().equals("expiring/grpc/before")) {
                            received.complete(null);
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        ended.complete(error);
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(null);
                    }
                });
        requests.onNext(SubscriptionRequest.newBuilder().setClientId("t").setAction(SubscriptionRequest.Action.SUBSCRIBE)
                .setTopicPattern("expiring/grpc/#").build());
        subscribed.get(20, TimeUnit.SECONDS);
        assertThat(restPublish("expiring/grpc/before")).isEqualTo(202);
        received.get(20, TimeUnit.SECONDS);

        Throwable error = ended.get(UNTIL_CUT.toSeconds(), TimeUnit.SECONDS);
        Status status = Status.fromThrowable(error);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("expired");
        assertThat(Status.trailersFromThrowable(error).get(Metadata.Key.of("mesh-error-code", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo("TOKEN_EXPIRED");
    }

    @Test
    void anMqtt5ClientIsDisconnectedWithMaximumConnectTimeAndAn311ClientIsClosed() throws Exception {
        CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();
        MqttAsyncClient mqtt5 = MqttCredentialClients.mqtt5(mqttPort(), "mqtt5-user", shortLived("mqtt5-user"));
        CompletableFuture<Throwable> lost = new CompletableFuture<>();
        org.eclipse.paho.client.mqttv3.MqttAsyncClient mqtt3 = MqttCredentialClients.mqtt3(mqttPort(), "mqtt3-user",
                shortLived("mqtt3-user"));
        try {
            mqtt5.setCallback(new MqttCredentialClients.Recorder(new java.util.concurrent.CopyOnWriteArrayList<>(), disconnected));
            assertThat(MqttCredentialClients.subscribe(mqtt5, "expiring/mqtt/#", Map.of()).getReasonCodes()).containsExactly(1);
            mqtt3.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });

            MqttDisconnectResponse response = disconnected.get(UNTIL_CUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.getReturnCode()).isEqualTo(0xA0);
            assertThat(response.getReasonString()).contains("expired");
            assertThat(lost.get(UNTIL_CUT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
            assertThat(mqtt3.isConnected()).isFalse();
        } finally {
            mqtt5.close(true);
            mqtt3.close(true);
        }
        assertThat(expiredConnections("mqtt")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anAmqpConnectionIsClosedWithUnauthorizedAccess() throws Exception {
        CompletableFuture<JMSException> failed = new CompletableFuture<>();
        JmsConnectionFactory factory = new JmsConnectionFactory("amqp://127.0.0.1:" + fixture.edge.port("AMQP").orElseThrow());
        Connection connection = factory.createConnection("amqp-user", shortLived("amqp-user"));
        try {
            connection.setExceptionListener(failed::complete);
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createTopic("expiring/amqp/#"));

            JMSException error = failed.get(UNTIL_CUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(JMSSecurityException.class);
            assertThat(error.getMessage()).contains("expired");
        } finally {
            connection.close();
        }
    }

    @Test
    void anMqttWillOnATopicThePrincipalMayNotPublishIsRefusedAtConnect() throws Exception {
        double before = refused("mqtt", "publish_not_allowed");
        String token = keys.mint(new SigningKeys.Grant("will-user", List.of("wills/allowed/#"), List.of(), List.of()),
                Duration.ofMinutes(10));

        assertThatThrownBy(() -> mqtt5WithWill(token, "wills/forbidden/gone")).isInstanceOfSatisfying(MqttException.class,
                e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
        org.eclipse.paho.client.mqttv3.MqttAsyncClient mqtt3 = new org.eclipse.paho.client.mqttv3.MqttAsyncClient(
                "tcp://127.0.0.1:" + mqttPort(), "w3-" + UUID.randomUUID(), new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        org.eclipse.paho.client.mqttv3.MqttConnectOptions options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        options.setMqttVersion(org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName("will-user");
        options.setPassword(token.toCharArray());
        options.setWill("wills/forbidden/gone3", "{}".getBytes(StandardCharsets.UTF_8), 1, false);
        try {
            assertThatThrownBy(() -> mqtt3.connect(options).waitForCompletion(20_000))
                    .isInstanceOfSatisfying(org.eclipse.paho.client.mqttv3.MqttException.class,
                            e -> assertThat(e.getReasonCode()).isEqualTo(5));
        } finally {
            mqtt3.close(true);
        }
        // An allowed will still connects.
        MqttAsyncClient allowed = mqtt5WithWill(token, "wills/allowed/gone");
        allowed.disconnect().waitForCompletion(20_000);
        allowed.close(true);
        assertThat(refused("mqtt", "publish_not_allowed") - before).isEqualTo(2);
    }

    private static MqttAsyncClient mqtt5WithWill(String token, String willTopic) throws MqttException {
        return MqttCredentialClients.mqtt5(mqttPort(), "will-user", token, willTopic);
    }

    private static int mqttPort() {
        return fixture.edge.port("MQTT").orElseThrow();
    }

    private static int restPublish(String topic) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.edge.httpPort() + "/v1/events/publish"))
                .header("ce-specversion", "1.0").header("ce-id", "evt-" + UUID.randomUUID()).header("ce-type", "t")
                .header("ce-source", "/s").header("ce-meshtopic", topic).header("content-type", "application/json")
                .header("Authorization", "Bearer " + publisher)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static double expiredConnections(String protocol) {
        return refused(protocol, "connection_expired");
    }

    private static double refused(String protocol, String reason) {
        return MeshMetrics.registry().find("mesh.edge.auth.refused").tags("region", REGION, "protocol", protocol, "reason", reason)
                .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }
}
