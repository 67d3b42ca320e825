package io.meshwork.edge.internal.publish;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.ClientCertificates;
import io.meshwork.edge.internal.auth.EdgeAuth;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import io.meshwork.edge.internal.http.HttpErrors;
import io.meshwork.edge.internal.http.JsonResponse;
import io.meshwork.edge.internal.ingress.Accepted;
import io.meshwork.edge.internal.ingress.Ingress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /v1/events/publish}: reads the event, writes it to {@code mesh.events} through the
 * edge's {@link Ingress} and answers {@code 202 {"eventId","status":"ACCEPTED","brokerTimestamp"}}
 * once Kafka acknowledged it; a refusal gets its status and JSON error body ({@link HttpErrors}).
 */
public final class PublishHandler implements Handler {

    private final HttpEventReader reader;
    private final Ingress ingress;
    private final EdgeAuth auth;

    /** @param ingress answers on Jetty's threads, so Javalin writes the response there */
    public PublishHandler(HttpEventReader reader, Ingress ingress) {
        this(reader, ingress, null);
    }

    /**
     * @param ingress answers on Jetty's threads, so Javalin writes the response there
     * @param auth    authenticates each request's {@code Authorization: Bearer} token; {@code null}: auth off
     */
    public PublishHandler(HttpEventReader reader, Ingress ingress, EdgeAuth auth) {
        this.reader = reader;
        this.ingress = ingress;
        this.auth = auth;
    }

    @Override
    public void handle(Context ctx) {
        long received = System.nanoTime();
        Access access;
        try {
            access = auth == null ? Access.open()
                    : auth.authenticate(IngressProtocol.HTTP, EdgeAuth.bearer(ctx.header("Authorization")),
                            ClientCertificates.of(ctx.req()), ctx.ip());
        } catch (Refusal refusal) {
            HttpErrors.respond(ctx, refusal);
            return;
        }
        Map<String, String> headers = ctx.headerMap();
        String topic = ctx.queryParam("topic");
        byte[] body = ctx.bodyAsBytes();
        ctx.future(() -> ingress.publish(received, access, () -> reader.read(headers, topic, body)).handle((accepted, error) -> {
            if (error != null) {
                HttpErrors.respond(ctx, Refusal.of(error));
            } else {
                JsonResponse.write(ctx, 202, body(accepted));
            }
            return null;
        }));
    }

    private static Map<String, Object> body(Accepted accepted) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", accepted.eventId());
        body.put("status", "ACCEPTED");
        // The seed's example answers with epoch seconds.
        body.put("brokerTimestamp", accepted.brokerTimestampSeconds());
        return body;
    }
}
