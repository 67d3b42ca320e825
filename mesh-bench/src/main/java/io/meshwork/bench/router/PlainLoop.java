package io.meshwork.bench.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The router's baseline: a plain at-least-once consume → filter → produce loop with default
 * client settings (acks=all), reading an offset range and writing the wanted records to a topic.
 */
final class PlainLoop {

    /** {@code failed}: sends the producer gave up on; a baseline with any is not a fair one. */
    record Result(long records, long forwarded, long failed, long nanos) {
    }

    private PlainLoop() {
    }

    static Result run(String bootstrap, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to, String outTopic,
                      Predicate<ConsumerRecord<String, byte[]>> wanted) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-plain-loop-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            consumer.assign(new ArrayList<>(from.keySet()));
            from.forEach(consumer::seek);
            long started = System.nanoTime();
            long records = 0;
            long forwarded = 0;
            AtomicLong failed = new AtomicLong();
            while (from.keySet().stream().anyMatch(tp -> consumer.position(tp) < to.get(tp))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= to.get(tp)) {
                        continue;
                    }
                    records++;
                    if (wanted.test(record)) {
                        producer.send(new ProducerRecord<>(outTopic, null, record.key(), record.value(), record.headers()), (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
                        forwarded++;
                    }
                }
                consumer.commitAsync();
            }
            producer.flush();
            consumer.commitSync();
            return new Result(records, forwarded, failed.get(), System.nanoTime() - started);
        }
    }
}
