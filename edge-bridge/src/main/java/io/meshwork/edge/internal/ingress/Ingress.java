package io.meshwork.edge.internal.ingress;

import io.cloudevents.CloudEvent;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.envelope.Routing;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.metrics.Stage;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.publish.EventPublisher;
import io.meshwork.edge.internal.schema.SchemaGate;
import io.micrometer.core.instrument.Counter;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path a publish takes into the mesh, whatever protocol it came in on: read the event,
 * stamp it as published in this region, write it to {@code mesh.events}, count it, and answer
 * once Kafka acknowledged it. One instance per protocol of an edge.
 *
 * <p>Kafka's producer acknowledges every record on its single I/O thread. That thread only
 * records the ack here; the answer (an HTTP response, a gRPC message, a PUBACK) is completed on
 * the protocol's own executor, so writing answers never delays the acks of other publishes.
 *
 * <p>Metrics: {@code mesh.edge.published{region,protocol}} per accepted event,
 * {@code mesh.edge.publish.refused{region,protocol,error}} per refusal, and
 * {@link Stage#EDGE_INGEST} from the moment the protocol received the publish until Kafka's ack.
 */
public final class Ingress {

    private static final Logger LOG = LoggerFactory.getLogger(Ingress.class);

    private final EventPublisher publisher;
    private final String region;
    private final String brokerId;
    private final IngressProtocol protocol;
    private final Executor answers;
    private final PublishThrottle throttle;
    private final Access unchecked;
    private final SchemaGate schemas;
    private final Counter published;
    private final Map<ClientError, Counter> refused = new ConcurrentHashMap<>();

    /**
     * @param answers where publishes are answered; never Kafka's I/O thread
     */
    public Ingress(EventPublisher publisher, String region, String brokerId, IngressProtocol protocol, Executor answers) {
        this(publisher, region, brokerId, protocol, answers, PublishThrottle.OFF);
    }

    /**
     * @param answers  where publishes are answered; never Kafka's I/O thread
     * @param throttle refuses publishes on topics a lagging durable subscription matches
     */
    public Ingress(EventPublisher publisher, String region, String brokerId, IngressProtocol protocol, Executor answers,
                   PublishThrottle throttle) {
        this(publisher, region, brokerId, protocol, answers, throttle, Access.open());
    }

    /**
     * @param answers   where publishes are answered; never Kafka's I/O thread
     * @param throttle  refuses publishes on topics a lagging durable subscription matches
     * @param unchecked the access of publishes that come without one ({@link #publish(long, Supplier)})
     */
    public Ingress(EventPublisher publisher, String region, String brokerId, IngressProtocol protocol, Executor answers,
                   PublishThrottle throttle, Access unchecked) {
        this(publisher, region, brokerId, protocol, answers, throttle, unchecked, SchemaGate.OFF);
    }

    /**
     * @param answers   where publishes are answered; never Kafka's I/O thread
     * @param throttle  refuses publishes on topics a lagging durable subscription matches
     * @param unchecked the access of publishes that come without one ({@link #publish(long, Supplier)})
     * @param schemas   checks payloads against the schemas bound to their topics (edge.schemas.*)
     */
    public Ingress(EventPublisher publisher, String region, String brokerId, IngressProtocol protocol, Executor answers,
                   PublishThrottle throttle, Access unchecked, SchemaGate schemas) {
        this.schemas = Objects.requireNonNull(schemas, "schemas");
        this.unchecked = Objects.requireNonNull(unchecked, "unchecked");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.region = Objects.requireNonNull(region, "region");
        this.brokerId = Objects.requireNonNull(brokerId, "brokerId");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.answers = Objects.requireNonNull(answers, "answers");
        this.published = Counter.builder("mesh.edge.published").description("Events accepted at the edge")
                .tags("region", region, "protocol", protocol.tag()).register(MeshMetrics.registry());
    }

    /**
     * Reads and publishes one event.
     *
     * @param receivedAtNanos {@link System#nanoTime()} when the protocol received the publish
     * @param read            the protocol's reader; throws a {@link Refusal} for bad input
     * @return completes on the answer executor with the accepted event, or exceptionally with a
     *         {@link Refusal} ({@link ClientError#BROKER_UNAVAILABLE} when Kafka did not take it);
     *         already failed, on the caller's thread, when the reader refused the input
     */
    public CompletableFuture<Accepted> publish(long receivedAtNanos, Supplier<CloudEvent> read) {
        return publish(receivedAtNanos, unchecked, read);
    }

    /**
     * Reads and publishes one event of a client with {@code access}: as {@link #publish(long, Supplier)},
     * and refused with {@link ClientError#NOT_AUTHORIZED} (or {@code UNAUTHENTICATED}) when the
     * client may not publish on the event's topic; nothing refused reaches Kafka.
     */
    public CompletableFuture<Accepted> publish(long receivedAtNanos, Access access, Supplier<CloudEvent> read) {
        CloudEvent event;
        try {
            event = read.get();
        } catch (Refusal refusal) {
            count(refusal);
            LOG.debug("region {}: {} publish refused: {} {}", region, protocol.tag(), refusal.error(), refusal.describe());
            return CompletableFuture.failedFuture(refusal);
        }
        MeshEvent meshEvent = new MeshEvent(event, Routing.publishedAt(region, brokerId));
        try {
            access.checkPublish(meshEvent.topic());
        } catch (Refusal refusal) {
            count(refusal);
            return CompletableFuture.failedFuture(refusal);
        }
        Optional<Refusal> throttled = throttle.check(meshEvent.topic());
        if (throttled.isPresent()) {
            count(throttled.get());
            LOG.debug("region {}: {} publish of event {} throttled: {}", region, protocol.tag(), event.getId(),
                    throttled.get().getMessage());
            return CompletableFuture.failedFuture(throttled.get());
        }
        // Last check before the append: the payload against its topic's schema (memory only, no registry call).
        CloudEvent checked;
        try {
            checked = schemas.check(event, meshEvent.topic());
        } catch (Refusal refusal) {
            count(refusal);
            LOG.debug("region {}: {} publish of event {} refused: {} {}", region, protocol.tag(), event.getId(),
                    refusal.error(), refusal.describe());
            return CompletableFuture.failedFuture(refusal);
        }
        if (checked != event) {
            meshEvent = new MeshEvent(checked, meshEvent.routing());
        }
        CompletableFuture<Accepted> answer = new CompletableFuture<>();
        publisher.publish(meshEvent).whenComplete((metadata, error) -> {
            // On Kafka's I/O thread: record the ack, hand everything else over.
            if (error == null) {
                Stage.EDGE_INGEST.recordNanos(System.nanoTime() - receivedAtNanos);
                published.increment();
                Accepted accepted = new Accepted(event.getId(), metadata.timestamp());
                handOver(() -> answer.complete(accepted));
            } else {
                handOver(() -> answer.completeExceptionally(brokerFailed(event, error)));
            }
        });
        return answer;
    }

    private Refusal brokerFailed(CloudEvent event, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        LOG.warn("region {}: {} publish of event {} to mesh.events failed: {}", region, protocol.tag(), event.getId(), cause.toString());
        Refusal refusal = new Refusal(ClientError.BROKER_UNAVAILABLE, protocol.requestField(),
                "the regional Kafka cluster did not acknowledge the event: " + cause.getMessage(), cause);
        count(refusal);
        return refusal;
    }

    private void handOver(Runnable completion) {
        try {
            answers.execute(completion);
        } catch (RejectedExecutionException e) {
            // The protocol's executor is shutting down with the listener: answer here rather than never.
            completion.run();
        }
    }

    private void count(Refusal refusal) {
        refused.computeIfAbsent(refusal.error(), error -> Counter.builder("mesh.edge.publish.refused")
                .description("Publishes the edge refused, by error code")
                .tags("region", region, "protocol", protocol.tag(), "error", error.name())
                .register(MeshMetrics.registry())).increment();
    }

    /** The protocol this ingress serves. */
    public IngressProtocol protocol() {
        return protocol;
    }
}
