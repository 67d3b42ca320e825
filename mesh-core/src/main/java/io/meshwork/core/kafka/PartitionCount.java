package io.meshwork.core.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How many partitions a topic has, for a service that only needs the count to choose its own
 * partition or role (a delivery slot, whether routed delivery is on), not to read the topic.
 */
public final class PartitionCount {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private PartitionCount() {
    }

    /**
     * The partitions of {@code topic} on the cluster of {@code kafka}; 0 when the topic does not exist.
     *
     * @param service how logs name the asker and client id, e.g. {@code edge us-east-1}
     * @throws org.apache.kafka.common.errors.TimeoutException when the cluster does not answer within 30 s
     */
    public static int of(KafkaClients kafka, String service, String topic) {
        try (KafkaConsumer<byte[], byte[]> probe = kafka.consumer(service + " " + topic + " probe", Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, service.replace(' ', '-') + "-" + topic + "-probe",
                // A metadata request must never create the topic it asks about with the broker's defaults.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return probe.partitionsFor(topic, TIMEOUT).size();
        }
    }
}
