package io.meshwork.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class ConsumerThreadsTest {

    private static KafkaConsumer<byte[], byte[]> consumer() {
        // Nothing listens there: a poll waits its whole timeout unless woken.
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Test
    void stoppingWakesAThreadInALongPollAndWaitsUntilItHasClosedItsConsumer() throws Exception {
        KafkaConsumer<byte[], byte[]> consumer = consumer();
        consumer.assign(List.of(new TopicPartition("t", 0)));
        Thread thread = new Thread(() -> {
            try {
                consumer.poll(Duration.ofMinutes(5));
            } catch (WakeupException e) {
                // stopping
            } finally {
                consumer.close(ConsumerThreads.CLOSE_TIMEOUT);
            }
        });
        thread.start();

        long started = System.nanoTime();
        ConsumerThreads.stop(thread, consumer);

        assertThat(thread.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ConsumerThreads.STOP_TIMEOUT);
    }

    @Test
    void stoppingAThreadThatNeverStartedClosesItsConsumer() throws Exception {
        KafkaConsumer<byte[], byte[]> consumer = consumer();
        Thread thread = new Thread(() -> consumer.poll(Duration.ofMinutes(5)));

        ConsumerThreads.stop(thread, consumer);

        assertThatThrownBy(() -> consumer.assign(List.of(new TopicPartition("t", 0))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
