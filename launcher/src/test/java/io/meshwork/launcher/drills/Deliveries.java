package io.meshwork.launcher.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.schema.v1.EventEnvelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.meshwork.edge.StreamClient;
import java.time.Duration;

/**
 * What one subscriber received of a {@link NumberedStream}, per key in arrival order, and the
 * drill's verdict: nothing missing, nothing twice, order kept per key.
 */
public final class Deliveries {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Integer, List<Integer>> numbersByKey = new TreeMap<>();
    private final List<String> strangers = new ArrayList<>();
    private int total;

    public static Deliveries of(List<EventEnvelope> events, String prefix) {
        Deliveries deliveries = new Deliveries();
        for (EventEnvelope event : events) {
            if (!event.getTopic().startsWith(prefix + "/")) {
                continue;
            }
            try {
                JsonNode payload = JSON.readTree(event.getPayloadBytes().toByteArray());
                if (!payload.has("key") || !payload.has("n")) {
                    deliveries.strangers.add(event.getEventId());
                    continue;
                }
                deliveries.numbersByKey.computeIfAbsent(payload.get("key").asInt(), k -> new ArrayList<>()).add(payload.get("n").asInt());
                deliveries.total++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return deliveries;
    }

    /**
     * Waits until every subscriber has every one of {@code published} events (at most {@code within}
     * each), then checks that each got them once and in order per key; returns the wait.
     */
    static Duration awaitEveryEventOnceInOrder(List<StreamClient> subscribers, String prefix, int published, int keys,
                                               Duration within) {
        long started = System.nanoTime();
        for (StreamClient subscriber : subscribers) {
            await().atMost(within).pollInterval(Duration.ofMillis(200))
                    .until(() -> of(subscriber.events(), prefix).total() >= published);
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        // Late duplicates would come after the last original: give them a moment to show up.
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        for (StreamClient subscriber : subscribers) {
            assertThat(of(subscriber.events(), prefix).problems(published, keys)).isEmpty();
        }
        return waited;
    }

    public int total() {
        return total;
    }

    /**
     * Problems found against {@code published} events over {@code keys} keys (the stream numbers
     * event {@code i} as key {@code i % keys}, number {@code i / keys}); empty when every event
     * came exactly once and each key's events came in order.
     */
    public List<String> problems(int published, int keys) {
        List<String> problems = new ArrayList<>();
        strangers.forEach(id -> problems.add("event " + id + " is not part of the stream"));
        for (int key = 0; key < keys; key++) {
            int expected = published / keys + (key < published % keys ? 1 : 0);
            List<Integer> got = numbersByKey.getOrDefault(key, List.of());
            int next = 0;
            for (int n : got) {
                if (n != next) {
                    problems.add("key " + key + ": got " + n + " where " + next + " was next"
                            + (n < next ? " (twice or out of order)" : " (missing " + next + ".." + (n - 1) + ")"));
                    if (problems.size() > 20) {
                        return problems;
                    }
                }
                next = Math.max(next, n + 1);
            }
            if (got.size() != expected) {
                problems.add("key " + key + ": " + got.size() + " events delivered, " + expected + " published");
            }
        }
        return problems;
    }
}
