package io.meshwork.edge.internal.durable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the configured webhooks that a durable subscription became backpressured or recovered:
 * one JSON POST per URL, asynchronous (the caller, a subscription's reader, never waits), each
 * call bounded by a timeout and retried a bounded number of times, 1 s, 2 s, 4 s... apart. A
 * failure is logged in one line; receivers order documents by their {@code at} field, since a
 * retried call may arrive after a later one.
 */
final class BackpressureWebhooks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackpressureWebhooks.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> urls;
    private final Duration timeout;
    private final int retries;
    private final String region;
    private final ScheduledExecutorService scheduler;
    private final HttpClient client;

    BackpressureWebhooks(List<URI> urls, Duration timeout, int retries, String region) {
        this.urls = List.copyOf(urls);
        this.timeout = timeout;
        this.retries = retries;
        this.region = region;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "edge-webhooks-" + region);
            thread.setDaemon(true);
            return thread;
        });
        this.client = urls.isEmpty() ? null : HttpClient.newBuilder().connectTimeout(timeout).executor(scheduler).build();
    }

    /** Posts {@code document} to every URL; returns at once. */
    void post(Map<String, Object> document) {
        if (urls.isEmpty()) {
            return;
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", e);
        }
        urls.forEach(url -> attempt(url, body, 0));
    }

    private void attempt(URI url, byte[] body, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        CompletableFuture<HttpResponse<Void>> sent;
        try {
            sent = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        } catch (RejectedExecutionException closed) {
            LOG.debug("region {}: backpressure webhook {} not called: the edge is stopping", region, url);
            return;
        }
        sent.whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                return;
            }
            String why = error != null ? error.toString() : "HTTP " + response.statusCode();
            boolean again = attempt < retries;
            LOG.warn("region {}: backpressure webhook {} failed (attempt {} of {}): {}{}", region, url, attempt + 1,
                    retries + 1, why, again ? "; retrying" : "; giving up");
            if (again) {
                try {
                    scheduler.schedule(() -> attempt(url, body, attempt + 1), 1L << attempt, TimeUnit.SECONDS);
                } catch (RejectedExecutionException closed) {
                    // The edge is stopping: no more retries.
                }
            }
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
