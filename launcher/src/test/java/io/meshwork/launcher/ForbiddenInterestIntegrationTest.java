package io.meshwork.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.auth.AuthKeys;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.interest.InterestKey;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeKeys;
import io.meshwork.edge.StreamClient;
import io.meshwork.launcher.internal.EmbeddedConfigs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscription refused by an edge's authorisation never becomes interest: not in its region's
 * {@code mesh.interest}, not in the route adverts its neighbours hold ({@code us-east-1.mesh.routes}
 * in eu-west-1 and ap-southeast-1), not in any router's view, while an allowed one is in all of
 * them. On the shared mesh, with a second us-east-1 edge that requires tokens.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ForbiddenInterestIntegrationTest {

    @RegisterExtension
    static final SharedMesh SHARED = new SharedMesh();

    private static final String US = "us-east-1";
    private static final Duration PROPAGATION = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static EdgeBridge securedEdge;
    private static SigningKeys keys;

    @BeforeAll
    static void startAnEdgeThatRequiresTokens() throws Exception {
        keys = SigningKeys.loadOrCreate(dir.resolve("keys"));
        MeshConfig config = EmbeddedConfigs.of(EdgeKeys.schema(), Map.of(
                MeshKeys.REGION, US,
                "kafka.bootstrap.servers", SHARED.mesh().region(US).bootstrapServers(),
                EdgeKeys.HTTP_HOST, "127.0.0.1", EdgeKeys.HTTP_PORT, "0", EdgeKeys.GRPC_PORT, "-1", EdgeKeys.MQTT_PORT, "0",
                AuthKeys.enabled(EdgeKeys.AUTH), "true",
                AuthKeys.jwksFile(EdgeKeys.AUTH), keys.jwksFile().toString(),
                AuthKeys.issuer(EdgeKeys.AUTH), SigningKeys.ISSUER,
                AuthKeys.audience(EdgeKeys.AUTH), SigningKeys.AUDIENCE));
        securedEdge = EdgeBridge.start(EdgeKeys.build(config, Set.copyOf(SHARED.mesh().topology().regionNames())),
                EdgeKeys.tls(config), EdgeKeys.auth(config));
    }

    @AfterAll
    static void stopEdge() throws Exception {
        if (securedEdge != null) {
            securedEdge.close();
        }
    }

    @Test
    void aRefusedSubscriptionNeverReachesInterestInItsRegionOrAnyNeighbourWhileAnAllowedOneDoes() throws Exception {
        String root = "leak-" + UUID.randomUUID();
        String allowedWs = root + "/allowed/ws/#";
        String allowedMqtt = root + "/allowed/mqtt/#";
        String forbiddenWs = root + "/secret/ws/#";
        String forbiddenMqtt = root + "/secret/mqtt/#";
        String token = keys.mint(new SigningKeys.Grant("leak-test", List.of(), List.of(root + "/allowed/#"), List.of()),
                Duration.ofMinutes(10));

        try (StreamClient ws = StreamClient.connect("ws://127.0.0.1:" + securedEdge.httpPort() + "/v1/stream?access_token=" + token)) {
            ws.send("{\"clientId\":\"leak-test\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + forbiddenWs + "\"}");
            assertThat(ws.awaitError(0).getErrorCode()).isEqualTo("NOT_AUTHORIZED");
            MqttAsyncClient mqtt = mqtt(token);
            try {
                IMqttToken suback = mqtt.subscribe(forbiddenMqtt, 1);
                suback.waitForCompletion(20_000);
                assertThat(suback.getGrantedQos()).as("SUBACK of the forbidden filter").containsExactly(0x80);
                // Written after the refusals, on the same producer: once these are everywhere, anything
                // the refusals had written would be there too.
                ws.subscribe(allowedWs);
                IMqttToken granted = mqtt.subscribe(allowedMqtt, 1);
                granted.waitForCompletion(20_000);
                assertThat(granted.getGrantedQos()).containsExactly(1);

                List<String> neighbours = SHARED.mesh().topology().neighbours(US);
                await("the allowed patterns in us-east-1's interest and every neighbour's routes").atMost(PROPAGATION)
                        .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                            assertThat(interestPatterns()).contains(allowedWs, allowedMqtt);
                            for (String neighbour : neighbours) {
                                assertThat(SHARED.mesh().router(neighbour).regionsWanting(root + "/allowed/ws/x")).contains(US);
                                assertThat(SHARED.mesh().router(neighbour).regionsWanting(root + "/allowed/mqtt/x")).contains(US);
                                assertThat(records(neighbour, MeshKafkaTopics.remoteRoutes(US))).contains(allowedWs, allowedMqtt);
                            }
                        });

                assertThat(interestPatterns()).as("us-east-1's mesh.interest").doesNotContain(forbiddenWs, forbiddenMqtt);
                assertThat(records(US, MeshKafkaTopics.INTEREST)).doesNotContain(forbiddenWs).doesNotContain(forbiddenMqtt);
                assertThat(records(US, MeshKafkaTopics.ROUTES)).as("us-east-1's own adverts")
                        .doesNotContain(forbiddenWs).doesNotContain(forbiddenMqtt);
                for (String neighbour : neighbours) {
                    String routes = records(neighbour, MeshKafkaTopics.remoteRoutes(US));
                    assertThat(routes).as(neighbour + "'s " + MeshKafkaTopics.remoteRoutes(US))
                            .doesNotContain(forbiddenWs).doesNotContain(forbiddenMqtt);
                    assertThat(records(neighbour, MeshKafkaTopics.INTEREST)).as(neighbour + "'s mesh.interest")
                            .doesNotContain(forbiddenWs).doesNotContain(forbiddenMqtt);
                    assertThat(SHARED.mesh().router(neighbour).regionsWanting(root + "/secret/ws/x")).as(neighbour).doesNotContain(US);
                    assertThat(SHARED.mesh().router(neighbour).regionsWanting(root + "/secret/mqtt/x")).as(neighbour).doesNotContain(US);
                }
            } finally {
                mqtt.disconnectForcibly(1000);
                mqtt.close();
            }
        }
    }

    private static MqttAsyncClient mqtt(String token) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + securedEdge.port("MQTT").orElseThrow(),
                "leak-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("leak-test");
        options.setPassword(token.toCharArray());
        options.setCleanSession(true);
        client.connect(options).waitForCompletion(20_000);
        return client;
    }

    /** The patterns of every subscription in us-east-1's {@code mesh.interest} (live ones and tombstones alike). */
    private static List<String> interestPatterns() {
        List<String> patterns = new ArrayList<>();
        read(US, MeshKafkaTopics.INTEREST, (key, value) -> {
            if (key != null) {
                InterestKey interest = InterestKey.decode(new String(key, StandardCharsets.UTF_8));
                if (!interest.isLease()) {
                    patterns.add(interest.pattern());
                }
            }
        });
        return patterns;
    }

    /** Every key and value of {@code topic} in {@code region}'s cluster, aborted records too, as one text to search. */
    private static String records(String region, String topic) {
        StringBuilder text = new StringBuilder();
        read(region, topic, (key, value) -> {
            if (key != null) {
                text.append(new String(key, StandardCharsets.ISO_8859_1)).append('\n');
            }
            if (value != null) {
                text.append(new String(value, StandardCharsets.ISO_8859_1)).append('\n');
            }
        });
        return text.toString();
    }

    private static void read(String region, String topic, java.util.function.BiConsumer<byte[], byte[]> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SHARED.mesh().region(region).bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> each.accept(record.key(), record.value()));
            }
        }
    }
}
