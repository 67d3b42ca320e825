package io.meshwork.controlplane.internal.feeds;

import io.meshwork.core.interest.ControlCodec;
import io.meshwork.core.interest.LinkState;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest link state of every region, as the routers flood them: read from the compacted
 * {@code mesh.routes} of each region the control plane reaches (any one holds them all; reading
 * every one keeps the view alive while a region is cut off). Feeds {@code /v1/topology}: link
 * state as the routers see it, measured RTTs and each router's next hops.
 */
public final class LinkStates implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LinkStates.class);

    private final Map<String, LinkState> newest = new ConcurrentHashMap<>();
    private final List<Reader> readers;

    public LinkStates(Map<String, String> regionKafka) {
        this.readers = regionKafka.entrySet().stream().map(e -> new Reader(e.getKey(), e.getValue())).toList();
        readers.forEach(reader -> reader.thread.start());
    }

    /** The newest link state {@code region}'s router flooded, if any arrived. */
    public Optional<LinkState> of(String region) {
        return Optional.ofNullable(newest.get(region));
    }

    private void offer(LinkState state) {
        newest.merge(state.origin(), state, (known, incoming) -> incoming.seq() > known.seq() ? incoming : known);
    }

    @Override
    public void close() {
        readers.forEach(Reader::close);
    }

    private final class Reader {
        private final String region;
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Reader(String region, String bootstrap) {
            this.region = region;
            this.consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.CLIENT_ID_CONFIG, "control-plane-link-states-" + region,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new StringDeserializer(), new ByteArrayDeserializer());
            this.thread = new Thread(this::run, "control-plane-link-states-" + region);
            this.thread.setDaemon(true);
        }

        private void run() {
            try {
                List<TopicPartition> partitions = List.of();
                while (running && partitions.isEmpty()) {
                    try {
                        partitions = consumer.partitionsFor(MeshKafkaTopics.ROUTES, Duration.ofSeconds(2)).stream()
                                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                    } catch (org.apache.kafka.common.errors.TimeoutException e) {
                        LOG.debug("region {}: mesh.routes not reachable yet", region);
                    }
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.key() != null && record.key().startsWith(LinkState.KEY_PREFIX) && record.value() != null) {
                            try {
                                offer(ControlCodec.decode(record.value(), LinkState.class));
                            } catch (IllegalArgumentException e) {
                                LOG.debug("region {}: ignoring unreadable link state {}: {}", region, record.key(), e.getMessage());
                            }
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }

        void close() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
