package io.meshwork.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("integration")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmbeddedKafkaClusterTest {

    @Test
    void twoIndependentClustersProduceAndConsume() throws Exception {
        try (var east = EmbeddedKafkaCluster.start(KafkaClusterSpec.named("us-east-1"));
             var west = EmbeddedKafkaCluster.start(KafkaClusterSpec.named("eu-west-1"))) {
            assertThat(east.bootstrapServers()).isNotEqualTo(west.bootstrapServers()).startsWith("127.0.0.1:");

            east.createTopic("orders", 2, Map.of("cleanup.policy", "delete"));
            east.createTopic("orders", 2, Map.of()); // idempotent
            west.createTopic("payments", 1, Map.of());

            produce(east, "orders", "k1", "hello east");
            produce(west, "payments", "k2", "hello west");

            assertThat(consumeOne(east, "orders").value()).isEqualTo("hello east");
            assertThat(consumeOne(west, "payments").value()).isEqualTo("hello west");
            assertThat(east.admin().listTopics().names().get()).contains("orders").doesNotContain("payments");
            assertThat(west.admin().listTopics().names().get()).contains("payments").doesNotContain("orders");
            assertThatThrownBy(() -> east.createTopic("orders", 3, Map.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("us-east-1").hasMessageContaining("orders");
        }
    }

    @Test
    void closeDeletesTheTempDirAndIsIdempotent() {
        var cluster = EmbeddedKafkaCluster.start(KafkaClusterSpec.named("ap-southeast-1"));
        Path root = cluster.rootDir();
        assertThat(root).isDirectory();

        cluster.close();
        cluster.close();

        assertThat(Files.exists(root)).isFalse();
        assertThatThrownBy(cluster::admin).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void takenClientPortGivesAClearMessageAndLeavesNothingBehind() throws IOException {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = squatter.getLocalPort();
            List<Path> before = tempDirs();

            assertThatThrownBy(() -> EmbeddedKafkaCluster.start(KafkaClusterSpec.named("port-clash").withClientPort(port)))
                    .isInstanceOf(KafkaClusterStartException.class)
                    .hasMessage("Kafka cluster port-clash: port " + port + " is already in use");
            assertThat(tempDirs()).isEqualTo(before);
        }
    }

    @Test
    void aFailedStartLeavesNothingBehind() throws IOException {
        List<Path> before = tempDirs();

        assertThatThrownBy(() -> EmbeddedKafkaCluster.start(
                KafkaClusterSpec.named("port-clash").withBrokerProperty("num.io.threads", "0")))
                .isInstanceOf(KafkaClusterStartException.class)
                .hasMessageContaining("port-clash").hasMessageContaining("num.io.threads");
        assertThat(tempDirs()).isEqualTo(before);
    }

    private static List<Path> tempDirs() throws IOException {
        try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return new ArrayList<>(dirs.filter(p -> p.getFileName().toString().startsWith("meshwork-kafka-port-clash-"))
                    .sorted().toList());
        }
    }

    private static RecordMetadata produce(EmbeddedKafkaCluster cluster, String topic, String key, String value)
            throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static ConsumerRecord<String, String> consumeOne(EmbeddedKafkaCluster cluster, String topic) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    return record;
                }
            }
            throw new AssertionError("no record on " + topic + " of " + cluster.name());
        }
    }
}
