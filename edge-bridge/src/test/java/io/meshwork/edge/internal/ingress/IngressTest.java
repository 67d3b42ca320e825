package io.meshwork.edge.internal.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.metrics.Stage;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.http.HttpErrors;
import io.meshwork.edge.internal.publish.EventPublisher;
import io.meshwork.edge.internal.publish.HttpEventReader;
import io.meshwork.edge.internal.publish.PublishRequestReader;
import io.meshwork.schema.v1.PublishRequest;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one ingress path, on Kafka's own {@link MockProducer} (acks are completed by the test, as
 * the producer's I/O thread would) with the real protocol readers.
 */
class IngressTest {

    private static final String REGION = "ingress-test-region";
    private static final int MAX_PAYLOAD = 64;

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final ExecutorService answers = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "answers"));
    private final EventPublisher publisher = new EventPublisher(producer, new KafkaEventCodec(REGION, REGION), null);
    private final HttpEventReader httpReader = new HttpEventReader(MAX_PAYLOAD);
    private final PublishRequestReader requestReader = new PublishRequestReader(MAX_PAYLOAD);

    @AfterEach
    void stop() {
        answers.shutdownNow();
    }

    private Ingress ingress(IngressProtocol protocol) {
        return new Ingress(publisher, REGION, REGION, protocol, answers);
    }

    private static Map<String, String> seedHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("CE-SpecVersion", "1.0");
        headers.put("CE-Type", "com.codesprintpro.order.created");
        headers.put("CE-Source", "/billing/checkout");
        headers.put("CE-ID", "evt-1");
        return headers;
    }

    private static byte[] json() {
        return "{\"amountCents\":4900}".getBytes(StandardCharsets.UTF_8);
    }

    private static double published(IngressProtocol protocol) {
        return MeshMetrics.registry().counter("mesh.edge.published", "region", REGION, "protocol", protocol.tag()).count();
    }

    private static double refused(IngressProtocol protocol, ClientError error) {
        return MeshMetrics.registry().counter("mesh.edge.publish.refused", "region", REGION, "protocol", protocol.tag(),
                "error", error.name()).count();
    }

    private static Refusal refusalOf(CompletableFuture<Accepted> answer) throws InterruptedException {
        try {
            answer.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return Refusal.of(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the publish was never answered", e);
        }
        throw new AssertionError("the publish was accepted");
    }

    @Test
    void acceptedPublishIsStampedWithTheRegionCountedTimedAndAnsweredOnTheProtocolsExecutor() throws Exception {
        double before = published(IngressProtocol.HTTP);
        long ingestsBefore = Stage.EDGE_INGEST.count();

        CompletableFuture<Accepted> answer = ingress(IngressProtocol.HTTP)
                .publish(System.nanoTime(), () -> httpReader.read(seedHeaders(), null, json()));
        CompletableFuture<String> answeredOn = answer.thenApply(accepted -> Thread.currentThread().getName());
        assertThat(answer).isNotDone();
        producer.completeNext(); // the test thread plays Kafka's I/O thread

        assertThat(answeredOn.get(10, TimeUnit.SECONDS)).isEqualTo("answers");
        Accepted accepted = answer.join();
        assertThat(accepted.eventId()).isEqualTo("evt-1");
        ProducerRecord<String, byte[]> record = producer.history().get(0);
        assertThat(record.topic()).isEqualTo("mesh.events");
        assertThat(new String(record.headers().lastHeader(MeshHeaders.ORIGIN).value(), StandardCharsets.UTF_8)).isEqualTo(REGION);
        assertThat(published(IngressProtocol.HTTP)).isEqualTo(before + 1);
        assertThat(Stage.EDGE_INGEST.count()).isEqualTo(ingestsBefore + 1);
    }

    @Test
    void missingAttributeIsRefusedAtOnceNamingTheFieldAndNothingReachesKafka() throws Exception {
        double before = refused(IngressProtocol.HTTP, ClientError.INVALID_EVENT);
        Map<String, String> headers = seedHeaders();
        headers.remove("CE-Type");

        CompletableFuture<Accepted> answer = ingress(IngressProtocol.HTTP).publish(System.nanoTime(), () -> httpReader.read(headers, null, json()));

        assertThat(answer).isCompletedExceptionally();
        Refusal refusal = refusalOf(answer);
        assertThat(refusal.error()).isEqualTo(ClientError.INVALID_EVENT);
        assertThat(refusal.field()).isEqualTo("ce-type");
        assertThat(refusal.getMessage()).isEqualTo("missing required attribute 'ce-type'");
        assertThat(HttpErrors.status(refusal)).isEqualTo(400);
        assertThat(producer.history()).isEmpty();
        assertThat(refused(IngressProtocol.HTTP, ClientError.INVALID_EVENT)).isEqualTo(before + 1);
    }

    @Test
    void badTopicIsRefusedAsInvalidTopic() throws Exception {
        Refusal refusal = refusalOf(ingress(IngressProtocol.GRPC).publish(System.nanoTime(), () -> requestReader.read(
                PublishRequest.newBuilder().setEventId("e").setType("t").setSource("/s").setTopic("orders/#/x").build(), null)));

        assertThat(refusal.error()).isEqualTo(ClientError.INVALID_TOPIC);
        assertThat(refusal.field()).isEqualTo("topic");
        assertThat(refusal.describe()).startsWith("topic: ");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void oversizePayloadIsRefusedAsPayloadTooLarge() throws Exception {
        Refusal overHttp = refusalOf(ingress(IngressProtocol.HTTP).publish(System.nanoTime(),
                () -> httpReader.read(seedHeaders(), null, new byte[MAX_PAYLOAD + 1])));
        Refusal overGrpc = refusalOf(ingress(IngressProtocol.GRPC).publish(System.nanoTime(), () -> requestReader.read(
                PublishRequest.newBuilder().setEventId("e").setType("t").setSource("/s")
                        .setPayloadBytes(ByteString.copyFrom(new byte[MAX_PAYLOAD + 1])).build(), null)));

        assertThat(overHttp.error()).isEqualTo(ClientError.PAYLOAD_TOO_LARGE);
        assertThat(HttpErrors.status(overHttp)).isEqualTo(413);
        assertThat(overGrpc.error()).isEqualTo(ClientError.PAYLOAD_TOO_LARGE);
        assertThat(overGrpc.field()).isEqualTo("payload_bytes");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void unsupportedFormatIsRefusedAs415() throws Exception {
        Refusal refusal = refusalOf(ingress(IngressProtocol.HTTP).publish(System.nanoTime(),
                () -> httpReader.read(Map.of("Content-Type", "application/cloudevents+avro"), null, json())));

        assertThat(refusal.error()).isEqualTo(ClientError.UNSUPPORTED_MEDIA_TYPE);
        assertThat(refusal.field()).isEqualTo("content-type");
        assertThat(HttpErrors.status(refusal)).isEqualTo(415);
    }

    @Test
    void brokerTimeoutIsBrokerUnavailableNamingTheProtocolsRequestField() throws Exception {
        double before = refused(IngressProtocol.WEBSOCKET, ClientError.BROKER_UNAVAILABLE);
        double acceptedBefore = published(IngressProtocol.WEBSOCKET);
        CompletableFuture<Accepted> answer = ingress(IngressProtocol.WEBSOCKET).publish(System.nanoTime(), () -> requestReader.read(
                PublishRequest.newBuilder().setEventId("e-2").setType("t").setSource("/s").setTopic("a/b").build(), null));
        CompletableFuture<String> answeredOn = answer.handle((accepted, error) -> Thread.currentThread().getName());

        producer.errorNext(new TimeoutException("Expiring 1 record(s) for mesh.events-0"));

        assertThat(answeredOn.get(10, TimeUnit.SECONDS)).isEqualTo("answers");
        Refusal refusal = refusalOf(answer);
        assertThat(refusal.error()).isEqualTo(ClientError.BROKER_UNAVAILABLE);
        assertThat(refusal.error().isClientFault()).isFalse();
        assertThat(refusal.field()).isEqualTo("event_id");
        assertThat(refusal.getMessage())
                .isEqualTo("the regional Kafka cluster did not acknowledge the event: Expiring 1 record(s) for mesh.events-0");
        assertThat(HttpErrors.status(refusal)).as("retriable: temporary").isEqualTo(503);
        assertThat(refused(IngressProtocol.WEBSOCKET, ClientError.BROKER_UNAVAILABLE)).isEqualTo(before + 1);
        assertThat(published(IngressProtocol.WEBSOCKET)).isEqualTo(acceptedBefore);
    }

    @Test
    void nonRetriableBrokerFailureIsStillBrokerUnavailableButA500OverHttp() throws Exception {
        CompletableFuture<Accepted> answer = ingress(IngressProtocol.HTTP).publish(System.nanoTime(),
                () -> httpReader.read(seedHeaders(), null, json()));

        producer.errorNext(new RecordTooLargeException("too large for the broker"));

        Refusal refusal = refusalOf(answer);
        assertThat(refusal.error()).isEqualTo(ClientError.BROKER_UNAVAILABLE);
        assertThat(refusal.field()).isEqualTo("body");
        assertThat(HttpErrors.status(refusal)).isEqualTo(500);
    }

    @Test
    void answersInlineOnceTheProtocolsExecutorHasShutDown() throws Exception {
        answers.shutdown();
        CompletableFuture<Accepted> answer = ingress(IngressProtocol.MQTT).publish(System.nanoTime(),
                () -> httpReader.read(seedHeaders(), null, json()));

        producer.completeNext();

        assertThat(answer).isCompleted();
        assertThat(answer.join().eventId()).isEqualTo("evt-1");
    }

    @Test
    void aReaderBugIsNotMistakenForARefusal() {
        assertThatThrownBy(() -> ingress(IngressProtocol.HTTP).publish(System.nanoTime(), () -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class).hasMessage("bug");
        assertThatThrownBy(() -> Refusal.of(new IllegalStateException("bug"))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("not a refusal");
    }
}
