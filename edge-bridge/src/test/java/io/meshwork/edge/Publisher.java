package io.meshwork.edge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Publishes over the edge's HTTP API with {@code java.net.http}, as any REST client would. */
public final class Publisher {

    public static final String SEED_BODY =
            "{\"orderId\":\"ord_88271a2\",\"customerId\":\"cust_331902\",\"amountCents\":4900,\"currency\":\"USD\"}";

    private final HttpClient client = HttpClient.newHttpClient();
    private final String baseUrl;

    public Publisher(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** The seed's example request, verbatim apart from the event id. */
    public HttpResponse<String> publishSeedEvent(String eventId) throws Exception {
        return publish(Map.of(
                "Content-Type", "application/json",
                "CE-SpecVersion", "1.0",
                "CE-Type", "com.codesprintpro.order.created",
                "CE-Source", "/billing/checkout",
                "CE-ID", eventId), SEED_BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8), "");
    }

    /** A binary-mode event on {@code topic}. */
    public HttpResponse<String> publishOn(String topic, String eventId, String body) throws Exception {
        return publish(Map.of(
                "Content-Type", "application/json",
                "ce-specversion", "1.0",
                "ce-type", "test.event",
                "ce-source", "/tests",
                "ce-id", eventId,
                "ce-meshtopic", topic), body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "");
    }

    public HttpResponse<String> publish(Map<String, String> headers, byte[] body, String query) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/events/publish" + query))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
