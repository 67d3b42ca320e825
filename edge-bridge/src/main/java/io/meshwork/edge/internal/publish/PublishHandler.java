package io.meshwork.edge.internal.publish;

import io.cloudevents.CloudEvent;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.envelope.Routing;
import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import io.meshwork.edge.internal.http.ApiError;
import io.meshwork.edge.internal.http.JsonResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/events/publish}: reads the event, writes it to {@code mesh.events} and answers
 * {@code 202 {"eventId","status":"ACCEPTED","brokerTimestamp"}} once Kafka acknowledged it.
 */
public final class PublishHandler implements Handler {

    private static final Logger LOG = LoggerFactory.getLogger(PublishHandler.class);

    private final HttpEventReader reader;
    private final EventPublisher publisher;
    private final String region;
    private final String brokerId;

    public PublishHandler(HttpEventReader reader, EventPublisher publisher, String region, String brokerId) {
        this.reader = reader;
        this.publisher = publisher;
        this.region = region;
        this.brokerId = brokerId;
    }

    @Override
    public void handle(Context ctx) {
        CloudEvent event = reader.read(ctx.headerMap(), ctx.queryParam("topic"), ctx.bodyAsBytes());
        MeshEvent meshEvent = new MeshEvent(event, Routing.publishedAt(region, brokerId));
        ctx.future(() -> publisher.publish(meshEvent).handle((metadata, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                LOG.warn("region {}: publish of event {} to mesh.events failed: {}", region, event.getId(), cause.toString());
                int status = cause instanceof RetriableException ? 503 : 500;
                respond(ctx, new ApiError(status, "BROKER_UNAVAILABLE", "body",
                        "the regional Kafka cluster did not acknowledge the event: " + cause.getMessage()));
                return null;
            }
            Counter.builder("mesh.edge.published").description("Events accepted at the edge")
                    .tags("region", region, "protocol", "http").register(MeshMetrics.registry()).increment();
            Map<String, Object> accepted = new LinkedHashMap<>();
            accepted.put("eventId", event.getId());
            accepted.put("status", "ACCEPTED");
            // The seed's example answers with epoch seconds.
            accepted.put("brokerTimestamp", metadata.timestamp() / 1000);
            JsonResponse.write(ctx, 202, accepted);
            return null;
        }));
    }

    /** Renders {@code error} as the edge's JSON error body. */
    public static void respond(Context ctx, ApiError error) {
        JsonResponse.error(ctx, error.status(), error.code(), error.field(), error.getMessage());
    }
}
