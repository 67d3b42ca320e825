package io.meshwork.edge.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.edge.DurableSettings;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.Publisher;
import io.meshwork.edge.StreamClient;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.PublishServiceGrpc;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionFactory;
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
 * Durable subscriptions ({@code delivery_policy: durable}) and the backpressure they put on
 * publishers, with real grpc-java and Jetty clients, on two edges of one region sharing one real
 * embedded Kafka: edge A never flags (threshold out of reach), edge B flags past 40 records, throttles
 * (HTTP, gRPC, MQTT 5 and WebSocket publishes) and calls a real webhook.
 */
@Tag("integration")
@Timeout(180)
class DurableSubscriptionIntegrationTest {

    private static final String REGION = "eu-west-1";
    private static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("mesh-error-code", Metadata.ASCII_STRING_MARSHALLER);
    /** About 1 KiB per event, so that a few dozen fill the small HTTP/2 windows of the test channels. */
    private static final String PAD = "x".repeat(1000);

    private static EdgeOnKafka fixture;
    private static EdgeBridge edgeB;
    private static Publisher publisherB;
    private static ManagedChannel channelA;
    private static ManagedChannel channelB;
    private static HttpServer webhook;
    private static final List<String> hooks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            hooks.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        fixture = EdgeOnKafka.start(REGION, config -> config.withGrpc(0)
                .withDurable(DurableSettings.DEFAULTS.withWindow(16).withBackpressure(1_000_000, 0)));
        edgeB = EdgeBridge.start(EdgeConfig.defaults(REGION, KafkaClients.of(fixture.kafka.bootstrapServers()))
                .withHttp("127.0.0.1", 0).withGrpc(0).withMqtt(0)
                .withDurable(DurableSettings.DEFAULTS.withWindow(16).withBackpressure(40, 5).withThrottle(true)
                        .withWebhooks(List.of(URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook")))));
        publisherB = new Publisher("http://127.0.0.1:" + edgeB.httpPort());
        channelA = channel(fixture.edge);
        channelB = channel(edgeB);
    }

    /** A small HTTP/2 window, so that a client that stops reading stops the edge's writes soon. */
    private static ManagedChannel channel(EdgeBridge edge) {
        return NettyChannelBuilder.forAddress("127.0.0.1", edge.port("gRPC").orElseThrow()).usePlaintext()
                .flowControlWindow(32 * 1024).build();
    }

    @AfterAll
    static void stop() throws Exception {
        for (ManagedChannel channel : new ManagedChannel[] {channelA, channelB}) {
            if (channel != null) {
                channel.shutdownNow();
            }
        }
        if (edgeB != null) {
            edgeB.close();
        }
        if (fixture != null) {
            fixture.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void aDurableSubscriberThatStopsReadingLosesNothingWhileItsBacklogStaysInKafka() throws Exception {
        try (GrpcStreamClient slow = GrpcStreamClient.openWithManualFlowControl(channelA)) {
            slow.request(1);
            slow.send(durable("slow/#", ""));
            slow.awaitControl(StreamControl.Type.SUBSCRIBED, "slow/#");

            List<String> published = publish(fixture.publisher, "slow/k", 300);

            // The edge handed the stream only a window (plus what gRPC buffers): the rest waits in Kafka.
            waiting().until(DurableSubscriptionIntegrationTest::maxLag, lag -> lag >= 150);
            assertThat(slow.events()).isEmpty();

            slow.request(10_000);
            waiting().until(() -> slow.events().size() >= published.size());
            assertExactlyOnceInOrderPerTopic(slow.events(), published);
            assertThat(slow.events()).allSatisfy(event -> assertThat(event.getResumeToken()).isNotEmpty());
        }
    }

    @Test
    void resumingWithATokenGivesEveryLaterEventExactlyOnceIncludingThosePublishedWhileAway() throws Exception {
        List<String> firstDelivered;
        String token;
        try (GrpcStreamClient first = GrpcStreamClient.open(channelA)) {
            first.send(durable("resume/#", ""));
            first.awaitControl(StreamControl.Type.SUBSCRIBED, "resume/#");
            List<String> published = publish(fixture.publisher, "resume/k", 12);
            waiting().until(() -> first.events().size() >= published.size());
            firstDelivered = ids(first.events());
            token = first.events().get(5).getResumeToken();
        }
        List<String> whileAway = publish(fixture.publisher, "resume/k", 12);

        try (GrpcStreamClient second = GrpcStreamClient.open(channelA)) {
            second.send(durable("resume/#", token));
            second.awaitControl(StreamControl.Type.SUBSCRIBED, "resume/#");
            List<String> owed = new ArrayList<>(firstDelivered.subList(6, firstDelivered.size()));
            owed.addAll(whileAway);
            waiting().until(() -> second.events().size() >= owed.size());
            quietly(second); // nothing more comes: no event twice
            assertExactlyOnceInOrderPerTopic(second.events(), owed);
        }
    }

    @Test
    void theSubscribedFrameCarriesTheStartTokenSoASubscriberLostBeforeItsFirstEventMissesNothing() throws Exception {
        String startToken;
        try (GrpcStreamClient lostEarly = GrpcStreamClient.open(channelB)) {
            lostEarly.send(durable("early/#", ""));
            startToken = lostEarly.awaitFrame(f -> f.hasControl() && f.getControl().getType() == StreamControl.Type.SUBSCRIBED
                    && f.getControl().getTopicPattern().equals("early/#")).getResumeToken();
        }
        assertThat(startToken).isNotEmpty();
        List<String> whileAway = publish(fixture.publisher, "early/k", 6);

        try (GrpcStreamClient onA = GrpcStreamClient.open(channelA)) {
            onA.send(durable("early/#", startToken));
            EventEnvelope confirmed = onA.awaitFrame(f -> f.hasControl() && f.getControl().getType() == StreamControl.Type.SUBSCRIBED
                    && f.getControl().getTopicPattern().equals("early/#"));
            assertThat(confirmed.getResumeToken()).isEqualTo(startToken);
            waiting().until(() -> onA.events().size() >= whileAway.size());
            quietly(onA);
            assertExactlyOnceInOrderPerTopic(onA.events(), whileAway);
        }
    }

    @Test
    void aTokenFromOneEdgeResumesOnAnotherEdgeOfTheRegion() throws Exception {
        String token;
        try (GrpcStreamClient onB = GrpcStreamClient.open(channelB)) {
            onB.send(durable("cross/#", ""));
            onB.awaitControl(StreamControl.Type.SUBSCRIBED, "cross/#");
            List<String> before = publish(fixture.publisher, "cross/k", 5);
            waiting().until(() -> onB.events().size() >= before.size());
            token = onB.events().get(before.size() - 1).getResumeToken();
        }
        List<String> whileAway = publish(fixture.publisher, "cross/k", 5);

        try (GrpcStreamClient onA = GrpcStreamClient.open(channelA)) {
            onA.send(durable("cross/#", token));
            onA.awaitControl(StreamControl.Type.SUBSCRIBED, "cross/#");
            waiting().until(() -> onA.events().size() >= whileAway.size());
            quietly(onA);
            assertExactlyOnceInOrderPerTopic(onA.events(), whileAway);
        }
    }

    @Test
    void aWebSocketDurableSubscriberResumesFromTheResumeTokenOfItsJsonFrames() throws Exception {
        String token;
        try (StreamClient first = StreamClient.connect(fixture.streamUrl)) {
            first.send(durableJson("wsd/#", ""));
            first.awaitControl(StreamControl.Type.SUBSCRIBED, "wsd/#");
            List<String> published = publish(fixture.publisher, "wsd/k", 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> first.events().size() >= published.size());
            assertThat(first.events()).allSatisfy(event -> assertThat(event.getResumeToken()).isNotEmpty());
            token = first.events().get(0).getResumeToken();
            List<String> owed = ids(first.events()).subList(1, 3);

            try (StreamClient second = StreamClient.connect(fixture.streamUrl)) {
                second.send(durableJson("wsd/#", token));
                second.awaitControl(StreamControl.Type.SUBSCRIBED, "wsd/#");
                await().atMost(Duration.ofSeconds(30)).until(() -> second.events().size() >= owed.size());
                assertExactlyOnceInOrderPerTopic(second.events(), owed);
            }
        }
    }

    @Test
    void aGroupIsRefusedWithTheDurablePolicyNamingTheField() throws Exception {
        try (StreamClient ws = StreamClient.connect(fixture.streamUrl)) {
            ws.send("{\"action\":\"SUBSCRIBE\",\"topicPattern\":\"g/#\",\"deliveryPolicy\":\"durable\",\"group\":\"g1\"}");
            StreamControl error = ws.awaitError(0);
            assertThat(error.getErrorCode()).isEqualTo("INVALID_GROUP");
            assertThat(error.getField()).isEqualTo("group");
        }
    }

    @Test
    void malformedTamperedAndTooOldTokensAreRefusedNamingResumeToken() throws Exception {
        // gRPC, a stream holding no subscription: the stream ends with INVALID_ARGUMENT naming the field.
        try (GrpcStreamClient grpc = GrpcStreamClient.open(channelA)) {
            grpc.send(durable("old/#", "not a token!"));
            Status status = grpc.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).startsWith("resume_token: resume_token is malformed");
        }
        String token;
        try (GrpcStreamClient grpc = GrpcStreamClient.open(channelA)) {
            grpc.send(durable("old/#", ""));
            grpc.awaitControl(StreamControl.Type.SUBSCRIBED, "old/#");
            List<String> published = publish(fixture.publisher, "old/k", 1);
            token = grpc.awaitEvent(published.get(0)).getResumeToken();
        }
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        bytes[2] ^= 1;
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try (StreamClient ws = StreamClient.connect(fixture.streamUrl)) {
            ws.send(durableJson("old/#", tampered));
            StreamControl error = ws.awaitError(0);
            assertThat(error.getErrorCode()).isEqualTo("INVALID_RESUME_TOKEN");
            assertThat(error.getField()).isEqualTo("resume_token");
            assertThat(error.getMessage()).contains("integrity check");

            // Retention deletes what the token points at: the token is too old.
            publish(fixture.publisher, "old/k", 1);
            deleteEverythingPublishedSoFar();
            ws.send(durableJson("old/#", token));
            StreamControl tooOld = ws.awaitError(1);
            assertThat(tooOld.getErrorCode()).isEqualTo("INVALID_RESUME_TOKEN");
            assertThat(tooOld.getField()).isEqualTo("resume_token");
            assertThat(tooOld.getMessage()).contains("too old").contains("deleted by retention");
        }
    }

    @Test
    void aLaggingDurableSubscriptionIsFlaggedThrottlesItsTopicsAndCallsTheWebhookUntilItCatchesUp() throws Exception {
        try (GrpcStreamClient slow = GrpcStreamClient.openWithManualFlowControl(channelB);
             StreamClient ws = StreamClient.connect("ws://127.0.0.1:" + edgeB.httpPort() + "/v1/stream")) {
            slow.request(1);
            slow.send(durable("bp/#", ""));
            slow.awaitControl(StreamControl.Type.SUBSCRIBED, "bp/#");

            List<String> accepted = new ArrayList<>();
            HttpResponse<String> refused = null;
            for (int i = 0; i < 3000 && refused == null; i++) {
                String id = "evt-" + UUID.randomUUID();
                HttpResponse<String> response = publisherB.publishOn("bp/t", id, body(i));
                if (response.statusCode() == 202) {
                    accepted.add(id);
                } else {
                    refused = response;
                }
            }
            assertThat(refused).isNotNull();
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body()).contains("\"error\":\"THROTTLED\"").contains("\"field\":\"topic\"");
            StatusRuntimeException grpcRefusal = (StatusRuntimeException) catchThrowable(() -> PublishServiceGrpc
                    .newBlockingStub(channelB).withDeadlineAfter(10, TimeUnit.SECONDS).publish(grpcEvent("bp/t")));
            assertThat(grpcRefusal.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(grpcRefusal.getTrailers().get(ERROR_CODE)).isEqualTo("THROTTLED");
            assertThat(mqtt5Publish("bp/t")).as("MQTT 5 PUBACK quota exceeded").containsExactly(0x97);
            ws.send("{\"eventId\":\"ws-1\",\"topic\":\"bp/t\",\"type\":\"t.e\",\"source\":\"/ws\"}");
            assertThat(ws.awaitError(0).getErrorCode()).isEqualTo("THROTTLED");
            assertThat(publisherB.publishOn("elsewhere/t", "evt-" + UUID.randomUUID(), "{}").statusCode())
                    .as("topics the lagging subscription does not match are not throttled").isEqualTo(202);
            waiting().until(() -> hooks.stream().anyMatch(h -> h.contains("\"state\":\"backpressured\"")
                    && h.contains("\"topic\":\"bp/#\"")));

            slow.request(100_000);
            waiting().until(() -> slow.events().size() >= accepted.size());
            assertExactlyOnceInOrderPerTopic(slow.events(), accepted);
            List<EventEnvelope> flags = waiting().until(() -> backpressureFrames(slow), frames -> frames.size() >= 2);
            assertThat(flags.get(0).getHeadersMap()).containsEntry("mesh-backpressured", "true").containsKey("mesh-lag");
            assertThat(Long.parseLong(flags.get(0).getHeadersMap().get("mesh-lag"))).isGreaterThanOrEqualTo(40);
            assertThat(flags.get(0).getControl().getMessage()).contains("threshold of 40");
            assertThat(flags.get(1).getHeadersMap()).containsEntry("mesh-backpressured", "false");
            waiting().until(() -> hooks.stream().anyMatch(h -> h.contains("\"state\":\"recovered\"")
                    && h.contains("\"topic\":\"bp/#\"")));
            assertThat(publisherB.publishOn("bp/t", "evt-" + UUID.randomUUID(), "{}").statusCode())
                    .as("the throttle lifts once the subscription caught up").isEqualTo(202);
        }
    }

    /** Publishes at QoS 1 with a real MQTT 5 client; returns the PUBACK's reason codes. */
    private static int[] mqtt5Publish(String topic) throws MqttException {
        MqttAsyncClient mqtt = new MqttAsyncClient("tcp://127.0.0.1:" + edgeB.port("MQTT").orElseThrow(), "throttled-publisher",
                new MemoryPersistence());
        try {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setAutomaticReconnect(false);
            mqtt.connect(options).waitForCompletion(20_000);
            MqttMessage message = new MqttMessage("{}".getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            IMqttToken token = mqtt.publish(topic, message);
            try {
                token.waitForCompletion(20_000);
            } catch (MqttException e) {
                if (!token.isComplete()) {
                    throw e;
                }
                // A negative acknowledgement: its reason code is on the token.
            }
            return token.getReasonCodes();
        } finally {
            if (mqtt.isConnected()) {
                mqtt.disconnect().waitForCompletion(20_000);
            }
            mqtt.close();
        }
    }

    private static Throwable catchThrowable(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    private static List<EventEnvelope> backpressureFrames(GrpcStreamClient client) {
        return client.frames().stream()
                .filter(f -> f.hasControl() && f.getControl().getType() == StreamControl.Type.BACKPRESSURED).toList();
    }

    private static PublishRequest grpcEvent(String topic) {
        return PublishRequest.newBuilder().setEventId("evt-" + UUID.randomUUID()).setTopic(topic).setType("t.e")
                .setSource("/grpc").setContentType("application/json").setPayloadBytes(ByteString.copyFromUtf8("{}")).build();
    }

    private static SubscriptionRequest durable(String pattern, String token) {
        return SubscriptionRequest.newBuilder().setClientId("durable-test").setAction(SubscriptionRequest.Action.SUBSCRIBE)
                .setTopicPattern(pattern).setDeliveryPolicy("durable").setResumeToken(token).build();
    }

    private static String durableJson(String pattern, String token) {
        return "{\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + pattern + "\",\"deliveryPolicy\":\"durable\","
                + "\"resumeToken\":\"" + token + "\"}";
    }

    /** Publishes {@code count} events over HTTP on topics {@code prefix}0..3 (so over several partitions); returns their ids. */
    private static List<String> publish(Publisher publisher, String prefix, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "evt-" + UUID.randomUUID();
            HttpResponse<String> response = publisher.publishOn(prefix + (i % 4), id, body(i));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            ids.add(id);
        }
        return ids;
    }

    private static String body(int n) {
        return "{\"n\":" + n + ",\"pad\":\"" + PAD + "\"}";
    }

    private static List<String> ids(List<EventEnvelope> events) {
        return events.stream().map(EventEnvelope::getEventId).toList();
    }

    /** Every expected event once, nothing else, and in publish order on each topic (each topic is one key). */
    private static void assertExactlyOnceInOrderPerTopic(List<EventEnvelope> received, List<String> expected) {
        List<String> ids = ids(received);
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        Map<String, List<String>> byTopic = received.stream().collect(Collectors.groupingBy(EventEnvelope::getTopic,
                LinkedHashMap::new, Collectors.mapping(EventEnvelope::getEventId, Collectors.toList())));
        byTopic.values().forEach(onTopic -> assertThat(onTopic)
                .isEqualTo(expected.stream().filter(new HashSet<>(onTopic)::contains).toList()));
    }

    private static double maxLag() {
        return MeshMetrics.registry().get("mesh.edge.durable.lag.max").tag("region", REGION)
                .tag("edge", fixture.edge.edgeId()).gauge().value();
    }

    private static void deleteEverythingPublishedSoFar() throws Exception {
        Admin admin = fixture.kafka.admin();
        Set<TopicPartition> partitions = admin.describeTopics(List.of(MeshKafkaTopics.EVENTS)).allTopicNames().get()
                .get(MeshKafkaTopics.EVENTS).partitions().stream()
                .map(info -> new TopicPartition(MeshKafkaTopics.EVENTS, info.partition())).collect(Collectors.toSet());
        Map<TopicPartition, RecordsToDelete> deletions = new LinkedHashMap<>();
        admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get()
                .forEach((partition, end) -> deletions.put(partition, RecordsToDelete.beforeOffset(end.offset())));
        admin.deleteRecords(deletions).all().get();
    }

    /** A short quiet period in which nothing more arrives (an event twice would). */
    private static void quietly(GrpcStreamClient client) {
        int frames = client.frames().size();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> client.frames().size() == frames);
    }

    private static ConditionFactory waiting() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10));
    }
}
