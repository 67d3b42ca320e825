package io.meshwork.embedded.wan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.ExtraListener;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client in eu-west-1 talks to the us-east-1 cluster only through the WAN link. */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WanKafkaIntegrationTest {

    private static final String TOPIC = "wan-test";

    @Test
    void kafkaClientsGoThroughTheLinkAndRecoverAfterACut() throws Exception {
        try (WanLink link = WanLink.open("eu-west-1", "us-east-1", Duration.ofMillis(50));
             var cluster = EmbeddedKafkaCluster.start(KafkaClusterSpec.named("us-east-1")
                     .withExtraListener(new ExtraListener("WAN_TEST", link.port())))) {
            link.forwardTo(new InetSocketAddress("127.0.0.1", cluster.listenerPort("WAN_TEST")));
            cluster.createTopic(TOPIC, 1, Map.of());
            String viaLink = "127.0.0.1:" + link.port();

            try (var producer = producer(viaLink); var consumer = consumer(viaLink)) {
                producer.send(new ProducerRecord<>(TOPIC, "k", "over the wan")).get(30, TimeUnit.SECONDS);
                long afterProduce = link.bytesForwarded();
                assertThat(afterProduce).isPositive();

                assertThat(pollOne(consumer).value()).isEqualTo("over the wan");
                assertThat(link.bytesForwarded()).isGreaterThan(afterProduce);
                // The broker advertises the link's port on this listener, so every broker
                // connection (leader, group coordinator) goes through the link as well.
                assertThat(consumer.partitionsFor(TOPIC)).extracting(p -> p.leader().port()).containsOnly(link.port());
                assertThat(producer.partitionsFor(TOPIC)).extracting(p -> p.leader().port()).containsOnly(link.port());
                try (var admin = admin(viaLink)) {
                    assertThat(admin.describeCluster().nodes().get()).extracting(Node::port).containsOnly(link.port());
                }

                link.cut();

                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPIC, "k", "lost")).get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);

                link.heal();

                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        producer.send(new ProducerRecord<>(TOPIC, "k", "after heal")).get(5, TimeUnit.SECONDS));
                assertThat(pollOne(consumer).value()).isEqualTo("after heal");
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                // Short timeouts so a cut shows as a failed send within seconds.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500),
                new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "wan-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(TOPIC));
        return consumer;
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static ConsumerRecord<String, String> pollOne(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                return record;
            }
        }
        throw new AssertionError("no record on " + TOPIC + " within 30 s");
    }
}
