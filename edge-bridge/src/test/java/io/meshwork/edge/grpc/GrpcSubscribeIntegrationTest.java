package io.meshwork.edge.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.Publisher;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import io.meshwork.schema.v1.SubscriptionServiceGrpc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seed's {@code Subscribe} stream over a real port, with real grpc-java stubs, on a real embedded Kafka. */
@Tag("integration")
@Timeout(120)
class GrpcSubscribeIntegrationTest {

    private static final String REGION = "ap-southeast-1";

    private static EdgeOnKafka fixture;
    private static Publisher publisher;
    private static ManagedChannel channel;

    @BeforeAll
    static void startEdge() throws Exception {
        fixture = EdgeOnKafka.start(REGION, config -> config.withGrpc(0));
        publisher = fixture.publisher;
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort()).usePlaintext().build();
    }

    @AfterAll
    static void stopEdge() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static int grpcPort() {
        return fixture.edge.port("gRPC").orElseThrow();
    }

    private static String newId() {
        return "evt-" + UUID.randomUUID();
    }

    @Test
    void receivesAnEventPublishedOverHttpWithPayloadHeadersAndRoutingPath() throws Exception {
        try (GrpcStreamClient subscriber = GrpcStreamClient.open(channel)) {
            subscriber.subscribe("com/codesprintpro/#");
            String id = newId();
            long sent = System.currentTimeMillis();

            assertThat(publisher.publishSeedEvent(id).statusCode()).isEqualTo(202);

            EventEnvelope event = subscriber.awaitEvent(id);
            assertThat(event.getTopic()).isEqualTo("com/codesprintpro/order/created");
            assertThat(event.getPayloadBytes().toString(StandardCharsets.UTF_8)).isEqualTo(Publisher.SEED_BODY);
            assertThat(event.getHeadersMap())
                    .containsEntry("id", id)
                    .containsEntry("type", "com.codesprintpro.order.created")
                    .containsEntry("source", "/billing/checkout")
                    .containsEntry("specversion", "1.0")
                    .containsEntry("datacontenttype", "application/json")
                    .containsEntry("meshtopic", "com/codesprintpro/order/created");
            assertThat(event.getRoutingPathList()).containsExactly(REGION);
            assertThat(event.getPublishTimestampMs()).isBetween(sent - 1000, System.currentTimeMillis());
            assertThat(event.hasControl()).isFalse();
        }
    }

    @Test
    void selectorFiltersWhatTheStreamReceives() throws Exception {
        try (GrpcStreamClient subscriber = GrpcStreamClient.open(channel)) {
            subscriber.send(GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, "trades/#")
                    .toBuilder().setFilterExpression("amountCents BETWEEN 1000 AND 5000").build());
            subscriber.awaitControl(StreamControl.Type.SUBSCRIBED, "trades/#");
            String outside = newId();
            String inside = newId();
            publisher.publishOn("trades/x", outside, "{\"amountCents\":9000}");
            publisher.publishOn("trades/x", inside, "{\"amountCents\":4900}");

            subscriber.awaitEvent(inside);
            assertThat(subscriber.events()).extracting(EventEnvelope::getEventId).containsExactly(inside);
        }
    }

    @Test
    void severalSubscriptionsOnOneStreamWithOverlappingPatternsGiveOneCopy() throws Exception {
        try (GrpcStreamClient subscriber = GrpcStreamClient.open(channel)) {
            subscriber.subscribe("orders/#");
            subscriber.subscribe("orders/+/checkout");
            subscriber.subscribe("payments/+");
            String order = newId();
            String payment = newId();
            String marker = newId();

            publisher.publishOn("orders/ap/checkout", order, "{}");
            publisher.publishOn("payments/card", payment, "{}");
            publisher.publishOn("orders/ap/marker", marker, "{}");
            subscriber.awaitEvent(marker);

            // The three topics may lie in different partitions of mesh.events, which one consumer
            // reads in no fixed order across partitions: exactly one copy each, in any order.
            assertThat(subscriber.events()).extracting(EventEnvelope::getEventId).containsExactlyInAnyOrder(order, payment, marker);
        }
    }

    @Test
    void unsubscribeStopsDeliveryOfThatPatternOnly() throws Exception {
        try (GrpcStreamClient subscriber = GrpcStreamClient.open(channel)) {
            subscriber.subscribe("stock/+");
            subscriber.subscribe("marker/#");
            String before = newId();
            publisher.publishOn("stock/acme", before, "{}");
            subscriber.awaitEvent(before);

            subscriber.unsubscribe("stock/+");
            String after = newId();
            String marker = newId();
            publisher.publishOn("stock/acme", after, "{}");
            publisher.publishOn("marker/x", marker, "{}");
            subscriber.awaitEvent(marker);

            assertThat(subscriber.events()).extracting(EventEnvelope::getEventId).containsExactly(before, marker);
        }
    }

    @Test
    void rejectedRequestsGetErrorFramesWhileTheStreamKeepsDelivering() throws Exception {
        try (GrpcStreamClient subscriber = GrpcStreamClient.open(channel)) {
            subscriber.subscribe("alerts/#");

            subscriber.send(GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, "alerts/#/bad"));
            assertError(subscriber.awaitError(0), "INVALID_TOPIC_PATTERN", "topic_pattern", "alerts/#/bad");
            subscriber.send(GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, ""));
            assertError(subscriber.awaitError(1), "INVALID_TOPIC_PATTERN", "topic_pattern", "");
            subscriber.send(GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, "x/y").toBuilder().setActionValue(7).build());
            assertError(subscriber.awaitError(2), "INVALID_ACTION", "action", "x/y");
            subscriber.send(GrpcStreamClient.request(SubscriptionRequest.Action.UNSUBSCRIBE, "never/subscribed"));
            assertError(subscriber.awaitError(3), "NOT_SUBSCRIBED", "topic_pattern", "never/subscribed");
            subscriber.send(GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, "alerts/+")
                    .toBuilder().setFilterExpression("severity >").build());
            StreamControl filter = subscriber.awaitError(4);
            assertError(filter, "INVALID_FILTER", "filter_expression", "alerts/+");
            assertThat(filter.getFilterExpression()).isEqualTo("severity >");
            assertThat(filter.getMessage()).contains("at position 10");
            subscriber.send(GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, "big/" + "x".repeat(70_000)));
            StreamControl tooLarge = subscriber.awaitError(5);
            assertThat(tooLarge.getErrorCode()).isEqualTo("FRAME_TOO_LARGE");
            assertThat(tooLarge.getField()).isEqualTo("frame");

            String id = newId();
            publisher.publishOn("alerts/disk", id, "{}");
            assertThat(subscriber.awaitEvent(id).getTopic()).isEqualTo("alerts/disk");
        }
    }

    private static void assertError(StreamControl error, String code, String field, String pattern) {
        assertThat(error.getType()).isEqualTo(StreamControl.Type.ERROR);
        assertThat(error.getErrorCode()).isEqualTo(code);
        assertThat(error.getField()).isEqualTo(field);
        assertThat(error.getTopicPattern()).isEqualTo(pattern);
        assertThat(error.getClientId()).isEqualTo("grpc-test");
        assertThat(error.getMessage()).isNotBlank();
    }

    @Test
    void refusedRequestOnAStreamWithoutSubscriptionsEndsItWithInvalidArgumentNamingTheField() {
        Map<SubscriptionRequest, String> refusals = Map.of(
                GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, "orders/#/bad"), "INVALID_TOPIC_PATTERN",
                GrpcStreamClient.request(SubscriptionRequest.Action.UNSUBSCRIBE, "never/subscribed"), "NOT_SUBSCRIBED");
        refusals.forEach((request, code) -> {
            GrpcStreamClient subscriber = GrpcStreamClient.open(channel);

            subscriber.send(request);

            Status status = subscriber.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).startsWith("topic_pattern: ");
            assertThat(subscriber.trailers().get(Metadata.Key.of("mesh-error-code", Metadata.ASCII_STRING_MARSHALLER)))
                    .isEqualTo(code);
            assertThat(subscriber.frames()).isEmpty();
        });
    }

    @Test
    void controlFramesNameTheirTypeAndErrorCodeInHeadersForClientsWithOnlyTheSeedsProto() throws Exception {
        try (GrpcStreamClient subscriber = GrpcStreamClient.open(channel)) {
            subscriber.subscribe("seed-only/#");
            subscriber.send(GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, "seed-only/#/bad"));
            subscriber.awaitError(0);

            // What a client built from the seed's proto sees: field 7 (control) is unknown to it.
            List<Map<String, String>> headers = subscriber.frames().stream()
                    .map(frame -> frame.toBuilder().clearControl().build().getHeadersMap()).toList();
            assertThat(headers.get(0)).containsExactly(Map.entry("mesh-control", "SUBSCRIBED"));
            assertThat(headers).contains(Map.of("mesh-control", "ERROR", "mesh-error-code", "INVALID_TOPIC_PATTERN"));
            String id = newId();
            publisher.publishOn("seed-only/x", id, "{}");
            assertThat(subscriber.awaitEvent(id).getHeadersMap()).as("the stream holds a subscription: it stays up")
                    .doesNotContainKey("mesh-control");
        }
    }

    @Test
    void undecodableMessageOnAFreshStreamEndsItWithInvalidArgument() {
        List<EventEnvelope> frames = new CopyOnWriteArrayList<>();
        List<Throwable> ended = new CopyOnWriteArrayList<>();
        StreamObserver<byte[]> requests = rawStream(frames, ended);

        requests.onNext(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});

        await().atMost(Duration.ofSeconds(20)).until(() -> !ended.isEmpty());
        Status status = Status.fromThrowable(ended.get(0));
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).startsWith("frame: not a SubscriptionRequest");
    }

    @Test
    void undecodableMessageGetsMalformedFrameErrorAndTheStreamStaysUp() throws Exception {
        List<EventEnvelope> frames = new CopyOnWriteArrayList<>();
        StreamObserver<byte[]> requests = rawStream(frames, new CopyOnWriteArrayList<>());
        try {
            // Subscribed first: a stream that holds no subscription ends on a bad message (DESIGN.md 2.6).
            requests.onNext(GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, "raw/#").toByteArray());
            requests.onNext(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}); // not a protobuf message
            await().atMost(Duration.ofSeconds(20)).until(() -> frames.size() >= 2);
            assertThat(frames.get(0).getControl().getType()).isEqualTo(StreamControl.Type.SUBSCRIBED);
            assertThat(frames.get(1).getControl().getType()).isEqualTo(StreamControl.Type.ERROR);
            assertThat(frames.get(1).getControl().getErrorCode()).isEqualTo("MALFORMED_FRAME");
            assertThat(frames.get(1).getControl().getField()).isEqualTo("frame");

            String id = newId();
            publisher.publishOn("raw/x", id, "{}");
            await().atMost(Duration.ofSeconds(20)).until(() -> frames.stream().anyMatch(f -> f.getEventId().equals(id)));
        } finally {
            requests.onError(Status.CANCELLED.asRuntimeException());
        }
    }

    /** A {@code Subscribe} stream whose requests are raw bytes, so that they can be anything. */
    private static StreamObserver<byte[]> rawStream(List<EventEnvelope> frames, List<Throwable> ended) {
        MethodDescriptor<byte[], EventEnvelope> raw = SubscriptionServiceGrpc.getSubscribeMethod()
                .toBuilder(RawBytes.MARSHALLER, ProtoUtils.marshaller(EventEnvelope.getDefaultInstance())).build();
        return ClientCalls.asyncBidiStreamingCall(channel.newCall(raw, CallOptions.DEFAULT), new StreamObserver<>() {
            @Override
            public void onNext(EventEnvelope frame) {
                frames.add(frame);
            }

            @Override
            public void onError(Throwable t) {
                ended.add(t);
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    @Test
    void cancelAndHalfCloseWithdrawTheStreamsSubscriptions() throws Exception {
        int before = subscriptionPatterns();
        GrpcStreamClient cancelled = GrpcStreamClient.open(channel);
        GrpcStreamClient halfClosed = GrpcStreamClient.open(channel);
        cancelled.subscribe("gone/cancelled/#");
        halfClosed.subscribe("gone/half-closed/#");
        assertThat(subscriptionPatterns()).isEqualTo(before + 2);

        cancelled.close();
        halfClosed.complete();

        assertThat(halfClosed.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        await().atMost(Duration.ofSeconds(20)).until(GrpcSubscribeIntegrationTest::subscriptionPatterns, n -> n == before);
    }

    private static int subscriptionPatterns() throws IOException, InterruptedException {
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + fixture.edge.httpPort() + "/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher count = Pattern.compile("\"subscriptionPatterns\":(\\d+)").matcher(health.body());
        assertThat(count.find()).as(health.body()).isTrue();
        return Integer.parseInt(count.group(1));
    }
}
