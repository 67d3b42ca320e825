package io.meshwork.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.core.auth.TokenClaims;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.StreamClient;
import io.meshwork.edge.mqtt.KafkaTopicReader;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.PublishServiceGrpc;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import io.meshwork.schema.v1.SubscriptionServiceGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Authentication and topic authorisation on every protocol of one edge (REST, WebSocket, gRPC,
 * MQTT 5 and 3.1.1) with a local key pair, against the answers of DESIGN.md 2.6. Refused attempts
 * use topics under {@code forbidden/} or {@code allowed/refused/}, which the last test checks never
 * reached {@code mesh.events}.
 */
@Tag("integration")
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeAuthIntegrationTest {

    private static final String REGION = "us-east-1";
    private static final Duration QUIET = Duration.ofMillis(800);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path keyDir;
    @TempDir
    static Path strangerDir;

    private static SigningKeys keys;
    private static SigningKeys stranger;
    private static EdgeOnKafka fixture;
    private static ManagedChannel channel;
    private static int mqttPort;
    private static String alice;
    private static String admin;
    private static StreamClient watcher;

    /** Each way a token can be wrong, and what it is. */
    enum BadCredential {
        NONE, MALFORMED, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID, WRONG_ISSUER, WRONG_AUDIENCE, ALG_NONE;

        String token() {
            Instant now = Instant.now();
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(SigningKeys.ISSUER).audience(SigningKeys.AUDIENCE)
                    .subject("mallory").notBeforeTime(Date.from(now.minusSeconds(60))).expirationTime(Date.from(now.plusSeconds(600)))
                    .claim(TokenClaims.PUBLISH, List.of("#")).claim(TokenClaims.SUBSCRIBE, List.of("#"));
            return switch (this) {
                case NONE -> null;
                case MALFORMED -> "not.a-jwt";
                case BAD_SIGNATURE -> stranger.sign(claims.build());
                case EXPIRED -> keys.sign(claims.expirationTime(Date.from(now.minusSeconds(120))).build());
                case NOT_YET_VALID -> keys.sign(claims.notBeforeTime(Date.from(now.plusSeconds(300))).build());
                case WRONG_ISSUER -> keys.sign(claims.issuer("https://elsewhere.example").build());
                case WRONG_AUDIENCE -> keys.sign(claims.audience("another-service").build());
                case ALG_NONE -> new PlainJWT(claims.build()).serialize();
            };
        }
    }

    @BeforeAll
    static void start() throws Exception {
        keys = SigningKeys.loadOrCreate(keyDir);
        stranger = SigningKeys.loadOrCreate(strangerDir);
        fixture = EdgeOnKafka.start(REGION, config -> config.withGrpc(0).withMqtt(0), keys.authSettings("edge.auth"));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", fixture.edge.port("gRPC").orElseThrow()).usePlaintext().build();
        mqttPort = fixture.edge.port("MQTT").orElseThrow();
        alice = keys.mint(new SigningKeys.Grant("alice", List.of("allowed/#"), List.of("allowed/#"), List.of()), Duration.ofMinutes(10));
        admin = keys.mint(new SigningKeys.Grant("admin", List.of("secret/#", "allowed/#"), List.of("#"), List.of("admin")),
                Duration.ofMinutes(10));
        watcher = StreamClient.connect(fixture.streamUrl, bearer(admin));
        watcher.subscribe("#");
    }

    @AfterAll
    static void stop() throws Exception {
        if (watcher != null) {
            watcher.close();
        }
        if (channel != null) {
            channel.shutdownNow();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @ParameterizedTest
    @EnumSource(BadCredential.class)
    @Order(1)
    void aMissingOrBadTokenGetsEachProtocolsUnauthenticatedAnswer(BadCredential credential) throws Exception {
        String token = credential.token();
        String topic = "allowed/refused/" + credential.name().toLowerCase();

        HttpResponse<String> rest = restPublish(token, topic);
        assertThat(rest.statusCode()).isEqualTo(401);
        assertThat(rest.body()).contains("\"error\":\"UNAUTHENTICATED\"").contains("\"field\":\"authorization\"");
        assertThat(rest.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");

        assertThatThrownBy(() -> StreamClient.connect(fixture.streamUrl, bearer(token)).close())
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(UpgradeException.class,
                        upgrade -> assertThat(upgrade.getResponseStatusCode()).isEqualTo(401));
        if (token != null) {
            assertThatThrownBy(() -> StreamClient.connect(fixture.streamUrl + "?access_token=" + token, Map.of()).close())
                    .cause().isInstanceOfSatisfying(UpgradeException.class,
                            upgrade -> assertThat(upgrade.getResponseStatusCode()).isEqualTo(401));
        }

        assertThatThrownBy(() -> grpcPublish(token, topic)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(grpcSubscribeOutcome(token, "allowed/#").get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

        assertThatThrownBy(() -> mqtt5(token == null ? null : "mallory", token)).isInstanceOfSatisfying(MqttException.class,
                e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
        assertThatThrownBy(() -> mqtt3(token == null ? null : "mallory", token)).isInstanceOfSatisfying(org.eclipse.paho.client.mqttv3.MqttException.class,
                e -> assertThat(e.getReasonCode()).isEqualTo(4));
    }

    @Test
    @Order(2)
    void aValidTokenIsRefusedTopicsItIsNotAllowedAndNothingRefusedIsDelivered() throws Exception {
        assertThat(restPublish(alice, "forbidden/rest").statusCode()).isEqualTo(403);
        assertThat(restPublish(alice, "forbidden/rest").body()).contains("\"error\":\"NOT_AUTHORIZED\"");

        try (StreamClient ws = StreamClient.connect(fixture.streamUrl, bearer(alice))) {
            ws.send(subscribe("secret/#", "", ""));
            assertThat(ws.awaitError(0).getErrorCode()).isEqualTo("NOT_AUTHORIZED");
            ws.send("{\"eventId\":\"refused-ws\",\"type\":\"t\",\"source\":\"/s\",\"topic\":\"forbidden/ws\",\"payloadBytes\":\"e30=\"}");
            assertThat(ws.awaitError(1).getErrorCode()).isEqualTo("NOT_AUTHORIZED");

            assertThatThrownBy(() -> grpcPublish(alice, "forbidden/grpc")).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
            assertThat(grpcSubscribeOutcome(alice, "secret/#").get(20, TimeUnit.SECONDS).getCode())
                    .isEqualTo(Status.Code.PERMISSION_DENIED);

            MqttAsyncClient mqtt5 = mqtt5("alice", alice);
            try {
                assertThat(mqtt5Subscribe(mqtt5, "secret/#", Map.of()).getReasonCodes()).containsExactly(0x87);
                assertThat(mqtt5Publish(mqtt5, "forbidden/mqtt5").getReasonCodes()).containsExactly(0x87);
                org.eclipse.paho.client.mqttv3.MqttAsyncClient mqtt3 = mqtt3("alice", alice);
                try {
                    org.eclipse.paho.client.mqttv3.IMqttToken suback = mqtt3.subscribe("secret/#", 1);
                    waitFor(suback);
                    assertThat(suback.getGrantedQos()).containsExactly(0x80);
                } finally {
                    mqtt3.disconnectForcibly(1000);
                    mqtt3.close();
                }
                // An event on the forbidden topic reaches the subscriber allowed it, and none refused.
                assertThat(restPublish(admin, "secret/notice").statusCode()).isEqualTo(202);
                watcher.awaitFrame(frame -> frame.getTopic().equals("secret/notice"));
                await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> ws.events().isEmpty());
            } finally {
                mqtt5.disconnectForcibly(1000);
                mqtt5.close();
            }
        }
    }

    @Test
    @Order(3)
    void aValidTokenGetsThroughOnEveryProtocolForItsTopics() throws Exception {
        try (StreamClient ws = StreamClient.connect(fixture.streamUrl + "?access_token=" + alice, Map.of())) {
            ws.subscribe("allowed/ok/#");
            MqttAsyncClient mqtt5 = mqtt5("alice", alice);
            org.eclipse.paho.client.mqttv3.MqttAsyncClient mqtt3 = mqtt3("alice", alice);
            try {
                assertThat(mqtt5Subscribe(mqtt5, "allowed/#", Map.of()).getReasonCodes()).containsExactly(1);
                assertThat(restPublish(alice, "allowed/ok/rest").statusCode()).isEqualTo(202);
                assertThat(grpcPublish(alice, "allowed/ok/grpc").getStatus()).isEqualTo("ACCEPTED");
                ws.send("{\"eventId\":\"ok-ws\",\"type\":\"t\",\"source\":\"/s\",\"topic\":\"allowed/ok/ws\",\"payloadBytes\":\"e30=\"}");
                assertThat(mqtt5Publish(mqtt5, "allowed/ok/mqtt5").getReasonCodes()).containsExactly(0);
                waitFor(mqtt3.publish("allowed/ok/mqtt3", "{}".getBytes(StandardCharsets.UTF_8), 1, false));
                for (String protocol : List.of("rest", "grpc", "ws", "mqtt5", "mqtt3")) {
                    ws.awaitFrame(frame -> frame.getTopic().equals("allowed/ok/" + protocol));
                }
                List<String> received = new ArrayList<>();
                assertThat(grpcSubscribeReceives(alice, "allowed/ok/#", "allowed/ok/grpc2", received)).isTrue();
            } finally {
                mqtt5.disconnectForcibly(1000);
                mqtt5.close();
                mqtt3.disconnectForcibly(1000);
                mqtt3.close();
            }
        }
    }

    @Test
    @Order(4)
    void aWildcardReachingAForbiddenTopicIsRefusedAndOneWhollyAllowedIsAccepted() throws Exception {
        String orders = keys.sign(new JWTClaimsSet.Builder().issuer(SigningKeys.ISSUER).audience(SigningKeys.AUDIENCE).subject("bob")
                .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim(TokenClaims.SUBSCRIBE, List.of("orders/#")).claim(TokenClaims.SUBSCRIBE_DENY, List.of("orders/secret/#"))
                .build());
        try (StreamClient ws = StreamClient.connect(fixture.streamUrl, bearer(orders))) {
            ws.send(subscribe("orders/#", "", ""));
            assertThat(ws.awaitError(0).getErrorCode()).isEqualTo("NOT_AUTHORIZED");
            ws.send(subscribe("orders/+/1", "", ""));
            assertThat(ws.awaitError(1).getErrorCode()).isEqualTo("NOT_AUTHORIZED");
            ws.subscribe("orders/eu/#");
            // Selectors and groups only narrow a subscription: they cannot make a refused pattern acceptable.
            ws.send(subscribe("orders/#", "amountCents > 0", ""));
            assertThat(ws.awaitError(2).getErrorCode()).isEqualTo("NOT_AUTHORIZED");
            ws.send(subscribe("orders/#", "", "g1"));
            assertThat(ws.awaitError(3).getErrorCode()).isEqualTo("NOT_AUTHORIZED");
        }
        MqttAsyncClient mqtt5 = mqtt5("bob", orders);
        try {
            assertThat(mqtt5Subscribe(mqtt5, "$share/g/orders/#", Map.of()).getReasonCodes()).containsExactly(0x87);
            assertThat(mqtt5Subscribe(mqtt5, "orders/#", Map.of("group", "g")).getReasonCodes()).containsExactly(0x87);
            assertThat(mqtt5Subscribe(mqtt5, "$share/g/orders/eu/#", Map.of()).getReasonCodes()).containsExactly(1);
        } finally {
            mqtt5.disconnectForcibly(1000);
            mqtt5.close();
        }
        assertThatThrownBy(() -> mqtt5("someone-else", orders)).isInstanceOfSatisfying(MqttException.class,
                e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
    }

    @Test
    @Order(5)
    void nothingRefusedReachedTheRegionsEventsAndRefusalsAreCounted() {
        List<String> topics = KafkaTopicReader.readAll(fixture.kafka.bootstrapServers(), MeshKafkaTopics.EVENTS).stream()
                .map(record -> KafkaTopicReader.header(record, "ce_meshtopic")).toList();
        assertThat(topics).contains("allowed/ok/rest", "allowed/ok/mqtt3", "secret/notice")
                .noneMatch(topic -> topic.startsWith("forbidden/") || topic.startsWith("allowed/refused/"));
        // Refused subscriptions never became interest, so they cannot draw forbidden events across regions.
        List<String> interest = KafkaTopicReader.readAll(fixture.kafka.bootstrapServers(), MeshKafkaTopics.INTEREST).stream()
                .filter(record -> record.value() != null).map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
        assertThat(interest).isNotEmpty().noneMatch(value -> value.contains("secret/#") || value.contains("orders/#"));
        assertThat(refused("grpc", "expired")).isGreaterThanOrEqualTo(2);
        assertThat(refused("mqtt", "unsigned")).isGreaterThanOrEqualTo(2);
        assertThat(refused("http", "publish_not_allowed")).isGreaterThanOrEqualTo(2);
        assertThat(refused("websocket", "subscribe_not_allowed")).isGreaterThanOrEqualTo(1);
        assertThat(fixture.edge.isHealthy()).isTrue();
    }

    private static double refused(String protocol, String reason) {
        return MeshMetrics.registry().find("mesh.edge.auth.refused")
                .tags("region", REGION, "protocol", protocol, "reason", reason).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private static Map<String, String> bearer(String token) {
        return token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
    }

    private static String subscribe(String pattern, String selector, String group) {
        return "{\"clientId\":\"t\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + pattern + "\",\"filterExpression\":\""
                + selector + "\",\"group\":\"" + group + "\"}";
    }

    private static HttpResponse<String> restPublish(String token, String topic) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.edge.httpPort()
                        + "/v1/events/publish"))
                .header("ce-specversion", "1.0").header("ce-id", "evt-" + UUID.randomUUID()).header("ce-type", "t")
                .header("ce-source", "/s").header("ce-meshtopic", topic).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Channel authorized(String token) {
        Metadata metadata = new Metadata();
        if (token != null) {
            metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata));
    }

    private static io.meshwork.schema.v1.PublishResponse grpcPublish(String token, String topic) {
        return PublishServiceGrpc.newBlockingStub(authorized(token)).withDeadlineAfter(20, TimeUnit.SECONDS)
                .publish(PublishRequest.newBuilder().setEventId("evt-" + UUID.randomUUID()).setType("t").setSource("/s")
                        .setTopic(topic).setPayloadBytes(ByteString.copyFromUtf8("{}")).build());
    }

    /** How a Subscribe stream with one request for {@code pattern} ends. */
    private static CompletableFuture<Status> grpcSubscribeOutcome(String token, String pattern) {
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<SubscriptionRequest> requests = SubscriptionServiceGrpc.newStub(authorized(token))
                .subscribe(new StreamObserver<>() {
                    @Override
                    public void onNext(EventEnvelope frame) {
                    }

                    @Override
                    public void onError(Throwable error) {
                        ended.complete(Status.fromThrowable(error));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
        requests.onNext(SubscriptionRequest.newBuilder().setClientId("t").setAction(SubscriptionRequest.Action.SUBSCRIBE)
                .setTopicPattern(pattern).build());
        return ended;
    }

    /** Subscribes over gRPC, publishes {@code topic} over REST once subscribed, and tells whether it arrived. */
    private static boolean grpcSubscribeReceives(String token, String pattern, String topic, List<String> received) throws Exception {
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        CompletableFuture<Void> arrived = new CompletableFuture<>();
        StreamObserver<SubscriptionRequest> requests = SubscriptionServiceGrpc.newStub(authorized(token))
                .subscribe(new StreamObserver<>() {
                    @Override
                    public void onNext(EventEnvelope frame) {
                        if (frame.hasControl() && frame.getControl().getType() == StreamControl.Type.SUBSCRIBED) {
                            subscribed.complete(null);
                        } else if (frame.getTopic().equals(topic)) {
                            received.add(frame.getTopic());
                            arrived.complete(null);
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        subscribed.completeExceptionally(error);
                        arrived.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(SubscriptionRequest.newBuilder().setClientId("t").setAction(SubscriptionRequest.Action.SUBSCRIBE)
                .setTopicPattern(pattern).build());
        subscribed.get(20, TimeUnit.SECONDS);
        assertThat(restPublish(token, topic).statusCode()).isEqualTo(202);
        arrived.get(20, TimeUnit.SECONDS);
        requests.onCompleted();
        return !received.isEmpty();
    }

    private static MqttAsyncClient mqtt5(String userName, String token) throws MqttException {
        return MqttCredentialClients.mqtt5(mqttPort, userName, token);
    }

    private static IMqttToken mqtt5Subscribe(MqttAsyncClient client, String filter, Map<String, String> userProperties)
            throws MqttException {
        return MqttCredentialClients.subscribe(client, filter, userProperties);
    }

    private static IMqttToken mqtt5Publish(MqttAsyncClient client, String topic) throws MqttException {
        return MqttCredentialClients.publish(client, topic);
    }

    private static org.eclipse.paho.client.mqttv3.MqttAsyncClient mqtt3(String userName, String token) throws Exception {
        return MqttCredentialClients.mqtt3(mqttPort, userName, token);
    }

    private static void waitFor(org.eclipse.paho.client.mqttv3.IMqttToken token) throws Exception {
        token.waitForCompletion(20_000);
    }
}
