package io.meshwork.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.connectors.mesh.ConnectWorker;
import io.meshwork.connectors.mesh.MeshRegionConfig;
import io.meshwork.connectors.mesh.MeshSinkConfig;
import io.meshwork.connectors.mesh.MeshSinkConnector;
import io.meshwork.connectors.mesh.MeshSourceConnector;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.edge.Publisher;
import io.meshwork.edge.StreamClient;
import io.meshwork.schema.v1.EventEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both connectors across regions on the shared three-region mesh, driven by one real Connect
 * worker whose own topics live on ap-southeast-1's cluster (one worker start for the class):
 * <ul>
 *   <li>a {@link MeshSourceConnector} in ap-southeast-1, whose interest the mesh routes, gets events
 *       published through us-east-1's REST edge on its Connect topic, and not events of other topics;
 *   <li>a {@link MeshSinkConnector} in us-east-1 (its consumer reads a Connect topic on us-east-1's
 *       cluster, {@code consumer.override.bootstrap.servers}, and it publishes into us-east-1's
 *       {@code mesh.events}) reaches a WebSocket subscriber in ap-southeast-1, and a record mapped to
 *       a topic nobody there wants does not cross the WAN.
 * </ul>
 */
@Tag("integration")
@Timeout(240)
class ConnectAcrossRegionsIntegrationTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String AP = "ap-southeast-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SharedMesh SHARED = new SharedMesh();

    private static ConnectWorker worker;

    @BeforeAll
    static void startWorker() {
        worker = ConnectWorker.start(SHARED.mesh().region(AP).bootstrapServers());
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void aSourceConnectorInApSoutheastGetsEventsPublishedInUsEastThroughItsRoutedInterest() throws Exception {
        EmbeddedMesh mesh = SHARED.mesh();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String base = "connect-xr/" + run;
        String target = "connect-xr-" + run;
        String apKafka = mesh.region(AP).bootstrapServers();
        mesh.cluster(AP).createTopic(target, 1, Map.of());
        Publisher us = new Publisher(mesh.region(US).httpUrl());

        try {
            worker.put("xr-source", Map.of(
                    "connector.class", MeshSourceConnector.class.getName(),
                    "tasks.max", "1",
                    "mesh.region", AP,
                    "mesh.bootstrap.servers", apKafka,
                    "mesh.topic.pattern", base + "/+",
                    "topic", target));
            worker.awaitRunning("xr-source");

            // The interest needs a moment to reach us-east-1's router: probe until one crosses.
            AtomicInteger probes = new AtomicInteger();
            await("a probe from us-east-1 on the Connect topic in ap-southeast-1").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        assertThat(us.publishOn(base + "/probe", "probe-" + run + "-" + probes.incrementAndGet(), "{}").statusCode())
                                .isEqualTo(202);
                        return !ids(apKafka, target).isEmpty();
                    });

            assertThat(us.publishOn(base + "/a/b", "deep-" + run, "{}").statusCode()).isEqualTo(202); // + is one level
            assertThat(us.publishOn("connect-other/" + run + "/x", "other-" + run, "{}").statusCode()).isEqualTo(202);
            assertThat(us.publishOn(base + "/orders", "order-1-" + run, "{\"amountCents\":1}").statusCode()).isEqualTo(202);
            assertThat(us.publishOn(base + "/orders", "order-2-" + run, "{\"amountCents\":2}").statusCode()).isEqualTo(202);

            List<String> ids = await("both orders in ap-southeast-1").atMost(Duration.ofSeconds(60))
                    .until(() -> ids(apKafka, target), found -> found.contains("order-2-" + run));
            assertThat(ids.stream().filter(id -> !id.startsWith("probe-")))
                    .containsExactly("order-1-" + run, "order-2-" + run);
            assertThat(ids).doesNotHaveDuplicates();
        } finally {
            worker.delete("xr-source");
        }
    }

    @Test
    void aSinkConnectorInUsEastReachesASubscriberInApSoutheastOnceInOrderPerKeyAndKeepsUnwantedTopicsHome() throws Exception {
        EmbeddedMesh mesh = SHARED.mesh();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String connectTopic = "erp-xr-" + run;
        String wanted = "sink-xr/" + run + "/ap/orders";
        String usKafka = mesh.region(US).bootstrapServers();
        mesh.cluster(US).createTopic(connectTopic, 3, Map.of());

        try (StreamClient asia = StreamClient.connect(mesh.region(AP).streamUrl())) {
            asia.subscribeMeshWide(wanted);
            worker.put("xr-sink", Map.ofEntries(
                    Map.entry("connector.class", MeshSinkConnector.class.getName()),
                    Map.entry("tasks.max", "1"),
                    Map.entry("topics", connectTopic),
                    // The worker's topics are in ap-southeast-1; the records and the mesh region are us-east-1's.
                    Map.entry("consumer.override.bootstrap.servers", usKafka),
                    Map.entry("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
                    Map.entry("value.converter", "org.apache.kafka.connect.json.JsonConverter"),
                    Map.entry("value.converter.schemas.enable", "false"),
                    Map.entry(MeshRegionConfig.REGION, US),
                    Map.entry(MeshRegionConfig.BOOTSTRAP_SERVERS, usKafka),
                    Map.entry(MeshSinkConfig.TOPIC_SOURCE, "field"),
                    Map.entry(MeshSinkConfig.TOPIC_FIELD, "region"),
                    Map.entry(MeshSinkConfig.TOPIC_TEMPLATE, "sink-xr/" + run + "/{}/orders")));
            try {
                worker.awaitRunning("xr-sink");

                // Key a's eu record comes before its last ap record: one key is one mesh.events partition,
                // read in order, so once that ap record arrives the router has already passed the eu one by.
                Map<String, String> apIds = new LinkedHashMap<>();
                String euId;
                try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, usKafka),
                        new StringSerializer(), new StringSerializer())) {
                    for (String[] record : new String[][] {{"a", "ap", "1"}, {"b", "ap", "1"}, {"a", "ap", "2"}, {"b", "ap", "2"},
                            {"a", "ap", "3"}, {"b", "ap", "3"}}) {
                        apIds.put(record[0] + record[2], send(producer, connectTopic, record[0], record[1], record[2]));
                    }
                    euId = send(producer, connectTopic, "a", "eu", "4");
                    apIds.put("a5", send(producer, connectTopic, "a", "ap", "5"));
                }

                await("every ap record in ap-southeast-1").atMost(Duration.ofSeconds(60))
                        .until(() -> asia.events().stream().map(EventEnvelope::getEventId).toList(),
                                received -> received.containsAll(apIds.values()));
                List<EventEnvelope> events = asia.events();
                assertThat(events).extracting(EventEnvelope::getEventId).containsExactlyInAnyOrderElementsOf(apIds.values());
                assertThat(events).allSatisfy(event -> {
                    assertThat(event.getTopic()).isEqualTo(wanted);
                    assertThat(event.getRoutingPathList()).containsExactly(US, AP);
                });
                assertThat(sequence(events, "a")).containsExactly(1, 2, 3, 5);
                assertThat(sequence(events, "b")).containsExactly(1, 2, 3);

                assertThat(MeshProbe.eventIdsIn(mesh, US, MeshKafkaTopics.EVENTS)).as("the eu record was published in us-east-1")
                        .contains(euId);
                assertThat(MeshProbe.eventIdsIn(mesh, US, MeshKafkaTopics.link(AP))).doesNotContain(euId).containsAll(apIds.values());
                assertThat(MeshProbe.eventIdsIn(mesh, US, MeshKafkaTopics.link(EU))).doesNotContain(euId);
            } finally {
                worker.delete("xr-sink");
            }
        }
    }

    /** Produces one record {@code {"region":..,"key":..,"seq":..}}; returns the event id the sink gives it. */
    private static String send(KafkaProducer<String, String> producer, String topic, String key, String region, String seq)
            throws Exception {
        RecordMetadata written = producer.send(new ProducerRecord<>(topic, key,
                "{\"region\":\"" + region + "\",\"key\":\"" + key + "\",\"seq\":" + seq + "}")).get();
        return topic + "-" + written.partition() + "-" + written.offset();
    }

    /** The seq fields of {@code key}'s events, in the order they were received. */
    private static List<Integer> sequence(List<EventEnvelope> events, String key) throws Exception {
        List<Integer> sequence = new ArrayList<>();
        for (EventEnvelope event : events) {
            JsonNode payload = JSON.readTree(event.getPayloadBytes().toStringUtf8());
            if (key.equals(payload.path("key").asText())) {
                sequence.add(payload.path("seq").asInt());
            }
        }
        return sequence;
    }

    private static List<String> ids(String bootstrapServers, String topic) {
        return ConnectWorker.readAll(bootstrapServers, topic).stream().map(r -> ConnectWorker.header(r, "ce_id")).toList();
    }
}
