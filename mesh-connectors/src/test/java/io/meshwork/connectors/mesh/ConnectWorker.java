package io.meshwork.connectors.mesh;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * A real Kafka Connect worker in distributed mode in the test JVM, driven through its REST API
 * with {@code java.net.http}, as an operator would drive it. The mesh connectors are on the
 * classpath and found through their ServiceLoader manifests, as Connect finds them in a plugin
 * directory ({@code plugin.discovery=service_load}). Shared with the launcher's tests (test-jar).
 */
public final class ConnectWorker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connect<?> connect;
    private final URI rest;
    private final HttpClient http = HttpClient.newHttpClient();

    private ConnectWorker(Connect<?> connect) {
        this.connect = connect;
        this.rest = connect.rest().serverUrl();
    }

    /** Starts a worker whose internal topics live on {@code bootstrapServers}. */
    public static ConnectWorker start(String bootstrapServers) {
        Map<String, String> props = Map.ofEntries(
                Map.entry("bootstrap.servers", bootstrapServers),
                Map.entry("group.id", "mesh-connect-test"),
                Map.entry("config.storage.topic", "connect-configs"),
                Map.entry("offset.storage.topic", "connect-offsets"),
                Map.entry("status.storage.topic", "connect-status"),
                Map.entry("config.storage.replication.factor", "1"),
                Map.entry("offset.storage.replication.factor", "1"),
                Map.entry("offset.storage.partitions", "1"),
                Map.entry("status.storage.replication.factor", "1"),
                Map.entry("status.storage.partitions", "1"),
                Map.entry("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter"),
                Map.entry("offset.flush.interval.ms", "1000"),
                Map.entry("plugin.discovery", "service_load"),
                Map.entry("listeners", "http://127.0.0.1:0"));
        return new ConnectWorker(new ConnectDistributed().startConnect(props));
    }

    /** Creates or replaces a connector. */
    public void put(String name, Map<String, String> config) {
        send(HttpRequest.newBuilder(rest.resolve("/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(config))), 200, 201);
    }

    /** Waits until the connector and at least one task run. */
    public void awaitRunning(String name) {
        await(name + " running").atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode status = status(name);
            if (status != null && status.toString().contains("\"FAILED\"")) {
                throw new AssertionError(name + " failed: " + status);
            }
            return status != null && "RUNNING".equals(status.path("connector").path("state").asText())
                    && status.path("tasks").size() > 0
                    && java.util.stream.StreamSupport.stream(status.path("tasks").spliterator(), false)
                            .allMatch(task -> "RUNNING".equals(task.path("state").asText()));
        });
    }

    /** Stops the connector (Connect's STOPPED state: tasks shut down, offsets kept) and waits for it. */
    public void stop(String name) {
        send(HttpRequest.newBuilder(rest.resolve("/connectors/" + name + "/stop")).PUT(HttpRequest.BodyPublishers.noBody()), 202, 204);
        await(name + " stopped").atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode status = status(name);
            return status != null && "STOPPED".equals(status.path("connector").path("state").asText())
                    && status.path("tasks").isEmpty();
        });
    }

    /** Resumes a stopped connector and waits until it runs. */
    public void resume(String name) {
        send(HttpRequest.newBuilder(rest.resolve("/connectors/" + name + "/resume")).PUT(HttpRequest.BodyPublishers.noBody()), 202, 204);
        awaitRunning(name);
    }

    /** The worker's answer to {@code PUT /connector-plugins/<class>/config/validate}. */
    public JsonNode validate(String connectorClass, Map<String, String> config) {
        String simpleName = connectorClass.substring(connectorClass.lastIndexOf('.') + 1);
        return send(HttpRequest.newBuilder(rest.resolve("/connector-plugins/" + simpleName + "/config/validate"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(config))), 200);
    }

    /** Every record on {@code topic} of the cluster at {@code bootstrapServers} now, read from its beginning. */
    public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, String topic) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (partitions.isEmpty()) {
                return List.of();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The last value of header {@code key} as text, null when absent. */
    public static String header(ConsumerRecord<?, ?> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private JsonNode status(String name) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(rest.resolve("/connectors/" + name + "/status")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private JsonNode send(HttpRequest.Builder request, int... expected) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            for (int status : expected) {
                if (response.statusCode() == status) {
                    return response.body().isEmpty() ? null : JSON.readTree(response.body());
                }
            }
            throw new AssertionError("Connect REST answered " + response.statusCode() + ": " + response.body());
        } catch (IOException e) {
            throw new AssertionError("Connect REST call failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String json(Map<String, String> config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Deletes a connector. */
    public void delete(String name) {
        send(HttpRequest.newBuilder(rest.resolve("/connectors/" + name)).DELETE(), 204);
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
