package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.PublishServiceGrpc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mesh edge --config FILE} on a real cluster serves every protocol of its file: gRPC and MQTT too. */
@Tag("integration")
class EdgeFromConfigIntegrationTest {

    private static final String REGION = "us-east-1";

    @TempDir
    Path dir;

    @Test
    void anEdgeStartedFromAConfigFileTakesEventsOverGrpcAndMqtt() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(REGION))) {
            Path file = dir.resolve("edge.yaml");
            Files.writeString(file, """
                    mesh:
                      region: us-east-1
                    kafka:
                      bootstrap.servers: %s
                      client.rack: use1-az1
                    edge:
                      http: {host: 127.0.0.1, port: 0}
                      grpc.port: 0
                      mqtt:
                        port: 0
                    """.formatted(kafka.bootstrapServers()));
            EdgeCommand command = new EdgeCommand();
            new CommandLine(command).parseArgs("--config", file.toString());

            EdgeCommand.Started started = command.start();
            try {
                int grpc = started.edge().port("gRPC").orElseThrow();
                int mqtt = started.edge().port("MQTT").orElseThrow();
                assertThat(started.settings().kafka().settings()).containsEntry("client.rack", "use1-az1");

                ManagedChannel channel = ManagedChannelBuilder.forTarget("127.0.0.1:" + grpc).usePlaintext().build();
                try {
                    PublishServiceGrpc.newBlockingStub(channel).publish(PublishRequest.newBuilder().setEventId("grpc-1")
                            .setType("config.test").setSource("/config-test").setTopic("config/grpc")
                            .setContentType("application/json").setPayloadBytes(ByteString.copyFromUtf8("{\"n\":1}")).build());
                } finally {
                    channel.shutdownNow();
                }
                MqttClient client = new MqttClient("tcp://127.0.0.1:" + mqtt, "config-test", new MemoryPersistence());
                try {
                    client.connect();
                    client.publish("config/mqtt", "{\"n\":2}".getBytes(StandardCharsets.UTF_8), 1, false);
                    client.disconnect();
                } finally {
                    client.close();
                }

                assertThat(meshTopicsOnKafka(kafka.bootstrapServers())).contains("config/grpc", "config/mqtt");
            } finally {
                started.edge().close();
            }
        }
    }

    /** The mesh topics of the events in {@code mesh.events}, waiting until both published ones are there. */
    private static Set<String> meshTopicsOnKafka(String bootstrap) {
        Set<String> topics = ConcurrentHashMap.newKeySet();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, consumer.partitionsFor(MeshKafkaTopics.EVENTS).size())
                    .mapToObj(p -> new TopicPartition(MeshKafkaTopics.EVENTS, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    Header topic = record.headers().lastHeader("ce_meshtopic");
                    if (topic != null) {
                        topics.add(new String(topic.value(), StandardCharsets.UTF_8));
                    }
                });
                return topics.containsAll(Set.of("config/grpc", "config/mqtt"));
            });
        }
        return topics;
    }
}
