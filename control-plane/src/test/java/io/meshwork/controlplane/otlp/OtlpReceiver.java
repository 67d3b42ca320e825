package io.meshwork.controlplane.otlp;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * An OTLP/HTTP trace receiver, as a collector's {@code /v1/traces} is: a JDK HttpServer that
 * decodes each {@code ExportTraceServiceRequest} and keeps every span with its resource and the
 * request's headers. Shared with the launcher's tests (test-jar).
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One received span, the string attributes of its resource, and the headers of the request that carried it. */
    public record Received(Span span, Map<String, String> resource, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();

    public OtlpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                        .collect(Collectors.toMap(e -> e.getKey().toLowerCase(java.util.Locale.ROOT), e -> e.getValue().get(0), (a, b) -> a));
                for (ResourceSpans resourceSpans : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
                    Map<String, String> resource = strings(resourceSpans.getResource().getAttributesList());
                    for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
                        scope.getSpansList().forEach(span -> received.add(new Received(span, resource, headers)));
                    }
                }
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                exchange.getResponseBody().write(answer);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The base URL to configure as {@code control-plane.otlp.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The spans received for the event {@code eventId} (attribute {@code messaging.message.id}). */
    public List<Received> spansOf(String eventId) {
        return received.stream().filter(r -> eventId.equals(attribute(r.span(), "messaging.message.id"))).toList();
    }

    /** A string attribute of {@code span}, or {@code null}. */
    public static String attribute(Span span, String key) {
        return strings(span.getAttributesList()).get(key);
    }

    /** A trace or span id as lower-case hex, as in a {@code traceparent}. */
    public static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    private static Map<String, String> strings(List<KeyValue> attributes) {
        return attributes.stream().filter(kv -> kv.getValue().hasStringValue())
                .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> b));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
