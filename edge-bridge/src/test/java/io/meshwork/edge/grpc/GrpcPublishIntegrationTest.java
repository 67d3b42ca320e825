package io.meshwork.edge.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.StreamClient;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.PublishResponse;
import io.meshwork.schema.v1.PublishServiceGrpc;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code PublishService.Publish} over a real port on a real embedded Kafka. */
@Tag("integration")
@Timeout(120)
class GrpcPublishIntegrationTest {

    private static final String REGION = "eu-central-1";
    private static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    private static EdgeOnKafka fixture;
    private static ManagedChannel channel;

    @BeforeAll
    static void startEdge() throws Exception {
        fixture = EdgeOnKafka.start(REGION, config -> config.withGrpc(0).withMaxPayloadBytes(MAX_PAYLOAD_BYTES));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", fixture.edge.port("gRPC").orElseThrow()).usePlaintext().build();
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

    private static PublishServiceGrpc.PublishServiceBlockingStub publisher() {
        return PublishServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static PublishRequest.Builder event() {
        return PublishRequest.newBuilder()
                .setEventId("evt-" + UUID.randomUUID())
                .setType("com.codesprintpro.order.created")
                .setSource("/billing/checkout")
                .setContentType("application/json")
                .setPayloadBytes(ByteString.copyFromUtf8("{\"orderId\":\"ord_1\"}"));
    }

    @Test
    void publishIsAcceptedAfterKafkaAndReachesWebSocketAndGrpcSubscribers() throws Exception {
        try (StreamClient webSocket = StreamClient.connect(fixture.streamUrl);
             GrpcStreamClient grpc = GrpcStreamClient.open(channel)) {
            webSocket.subscribe("orders/+/created");
            grpc.subscribe("orders/#");
            PublishRequest request = event().setTopic("orders/ap/created").setSubject("ord_1")
                    .setTime("2026-11-29T10:00:00Z").putExtensions("partitionkey", "cust_1").build();
            long before = System.currentTimeMillis() / 1000;

            PublishResponse response = publisher().publish(request);

            assertThat(response.getEventId()).isEqualTo(request.getEventId());
            assertThat(response.getStatus()).isEqualTo("ACCEPTED");
            assertThat(response.getBrokerTimestamp()).isBetween(before - 1, System.currentTimeMillis() / 1000);
            for (EventEnvelope event : new EventEnvelope[] {webSocket.awaitEvent(request.getEventId()),
                    grpc.awaitEvent(request.getEventId())}) {
                assertThat(event.getTopic()).isEqualTo("orders/ap/created");
                assertThat(event.getPayloadBytes().toString(StandardCharsets.UTF_8)).isEqualTo("{\"orderId\":\"ord_1\"}");
                assertThat(event.getRoutingPathList()).containsExactly(REGION);
                assertThat(event.getHeadersMap())
                        .containsEntry("type", "com.codesprintpro.order.created")
                        .containsEntry("source", "/billing/checkout")
                        .containsEntry("datacontenttype", "application/json")
                        .containsEntry("subject", "ord_1")
                        .containsEntry("time", "2026-11-29T10:00:00Z")
                        .containsEntry("partitionkey", "cust_1")
                        .containsEntry("meshtopic", "orders/ap/created");
            }
        }
    }

    @Test
    void topicIsDerivedFromTypeAndTraceparentMetadataIsCarried() {
        try (GrpcStreamClient grpc = GrpcStreamClient.open(channel)) {
            grpc.subscribe("com/codesprintpro/#");
            String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), traceparent);
            PublishRequest request = event().build();

            publisher().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)).publish(request);

            EventEnvelope event = grpc.awaitEvent(request.getEventId());
            assertThat(event.getTopic()).isEqualTo("com/codesprintpro/order/created");
            assertThat(event.getHeadersMap()).containsEntry("traceparent", traceparent);
        }
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("missing type", b -> b.clearType(), "type", "missing required attribute 'type'"),
                bad("missing source", b -> b.clearSource(), "source", "missing required attribute 'source'"),
                bad("missing id", b -> b.clearEventId(), "event_id", "missing required attribute 'event_id'"),
                bad("invalid topic", b -> b.setTopic("orders/#"), "topic", ""),
                bad("type giving no topic", b -> b.setType("a+b"), "type", ""),
                bad("source not a URI", b -> b.setSource("not a uri"), "source", ""),
                bad("time not RFC 3339", b -> b.setTime("yesterday"), "time", ""),
                bad("extension name", b -> b.putExtensions("Bad-Name", "x"), "extensions.Bad-Name", ""),
                bad("attribute as extension", b -> b.putExtensions("id", "x"), "extensions.id", ""),
                bad("conflicting topic", b -> b.setTopic("a/b").putExtensions("meshtopic", "c/d"), "topic", ""),
                bad("payload over the limit", b -> b.setPayloadBytes(ByteString.copyFrom(new byte[MAX_PAYLOAD_BYTES + 1])),
                        "payload_bytes", "payload of " + (MAX_PAYLOAD_BYTES + 1) + " bytes exceeds the limit of " + MAX_PAYLOAD_BYTES));
    }

    private static Arguments bad(String name, UnaryOperator<PublishRequest.Builder> change, String field, String message) {
        return Arguments.of(name, change, field, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputGetsInvalidArgumentNamingTheField(String name, UnaryOperator<PublishRequest.Builder> change, String field,
                                                   String message) {
        PublishRequest request = change.apply(event()).build();

        assertThatThrownBy(() -> publisher().publish(request)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).startsWith(field + ": " + message);
            com.google.rpc.Status details = StatusProto.fromThrowable(e);
            assertThat(details).isNotNull();
            assertThat(details.getDetailsList()).singleElement().satisfies(any -> {
                BadRequest badRequest = any.unpack(BadRequest.class);
                assertThat(badRequest.getFieldViolations(0).getField()).isEqualTo(field);
            });
        });
    }

    @Test
    void messageAboveTheInboundLimitGetsResourceExhaustedFromGrpc() {
        PublishRequest request = event().setPayloadBytes(ByteString.copyFrom(new byte[MAX_PAYLOAD_BYTES + 128 * 1024])).build();

        assertThatThrownBy(() -> publisher().publish(request)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    @Test
    void rejectedPublishLeavesTheChannelUsable() {
        assertThatThrownBy(() -> publisher().publish(event().clearType().build())).isInstanceOf(StatusRuntimeException.class);

        assertThat(publisher().publish(event().build()).getStatus()).isEqualTo("ACCEPTED");
    }
}
