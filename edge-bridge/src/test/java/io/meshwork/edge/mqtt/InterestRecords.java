package io.meshwork.edge.mqtt;

import io.meshwork.core.interest.InterestKey;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What an edge has registered on its region's {@code mesh.interest}, read back from Kafka. */
final class InterestRecords {

    private InterestRecords() {
    }

    /** Waits until the newest record of {@code edgeId}'s subscription to {@code pattern} holds it (or withdraws it). */
    static void await(String bootstrapServers, String edgeId, String pattern, boolean held) {
        String key = InterestKey.subscription(edgeId, pattern, "").encode();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            ConsumerRecord<String, byte[]> last = null;
            for (ConsumerRecord<String, byte[]> record : KafkaTopicReader.readAll(bootstrapServers, MeshKafkaTopics.INTEREST)) {
                if (key.equals(record.key())) {
                    last = record;
                }
            }
            return held ? last != null && last.value() != null : last != null && last.value() == null;
        });
    }
}
