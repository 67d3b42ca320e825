package io.meshwork.edge.tls;

import io.meshwork.core.auth.AclEntry;
import io.meshwork.core.auth.AclRecords;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.topic.TopicPattern;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes ACL entries straight to {@code mesh.acls}, as the control plane would. */
final class AclTopic {

    private AclTopic() {
    }

    static void write(String bootstrapServers, String principal, AclEntry.Action action, AclEntry.Effect effect, String filter)
            throws Exception {
        UUID id = UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(MeshKafkaTopics.ACLS, id.toString(), AclRecords.encode(new AclEntry(id, principal,
                    action, effect, TopicPattern.parse(filter), Instant.now())))).get();
        }
    }
}
