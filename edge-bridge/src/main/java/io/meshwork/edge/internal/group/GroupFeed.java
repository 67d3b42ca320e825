package io.meshwork.edge.internal.group;

import io.meshwork.core.envelope.EnvelopeMapper;
import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.kafka.ConsumerThreads;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.selector.Selector;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.edge.internal.traces.EdgeTracing;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one consumer group of this edge from Kafka, so that members of the group on several edges
 * of a region share its events: the feed is a member of the Kafka consumer group
 * {@link GroupKey#kafkaGroupId} on {@code mesh.events} (protocol {@code consumer}, KIP-848), reads
 * only the partitions Kafka assigns this edge, and hands each matching event to one local member
 * ({@link ConsumerGroup}). An edge alone in the group gets every partition.
 *
 * <p>It commits what it has handed over every {@value #COMMIT_INTERVAL_MS} ms and when a partition
 * is revoked, so an edge whose members all left hands its partitions over at the last event it
 * delivered (nothing lost, nothing twice), and an edge that dies hands them over from its last
 * commit (nothing lost, at most one commit interval of events twice).
 *
 * <p>A group starts at the end ({@code auto.offset.reset=latest}), as on one edge. Kafka keeps an
 * empty group's offsets for days, so a group that comes back after every member left would replay
 * them: each commit carries its time in its metadata, and a position older than
 * {@value #RESUME_WINDOW_MS} ms (longer than Kafka's session timeout, so a dead edge's position is
 * still taken) counts as the group's earlier life, not its handover, and is skipped.
 */
final class GroupFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupFeed.class);
    static final long COMMIT_INTERVAL_MS = 1000;
    static final long RESUME_WINDOW_MS = 120_000;
    private static final String COMMITTED_AT = "committed-at=";
    // Short: Kafka's consumer-protocol consumer may wait out the whole poll timeout after a fetch
    // that came back empty, even when records arrive meanwhile (KAFKA-19259, KAFKA-20780); a long
    // poll then holds events back and hands them to the members in bursts, which the lag-aware
    // member choice reads as lag. 50 ms bounds that wait, for 20 local polls a second per group (a
    // fetch still in flight is not sent again).
    private static final long POLL_TIMEOUT_MS = 50;
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(POLL_TIMEOUT_MS);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    // A member that joins a group other edges hold may be assigned nothing at first; it is then
    // delivering (its group takes every event) once it has been in the group this long.
    private static final long EMPTY_ASSIGNMENT_READY_MS = 1000;

    private final ConsumerGroup group;
    private final String region;
    private final String edgeId;
    private final String groupId;
    private final KafkaEventCodec codec;
    private final Selector selector;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Map<TopicPartition, Long> handed = new HashMap<>();
    private volatile boolean running = true;
    private long committedAt = System.currentTimeMillis();
    private long joinedAt = -1;

    GroupFeed(KafkaClients kafka, String region, String edgeId, KafkaEventCodec codec, ConsumerGroup group) {
        this.group = group;
        this.region = region;
        this.edgeId = edgeId;
        this.codec = codec;
        this.groupId = group.key().kafkaGroupId(region);
        this.selector = Selector.parse(group.key().expression());
        String clientId = edgeId + "-group-" + Integer.toHexString(groupId.hashCode());
        this.consumer = kafka.consumer("edge " + region + " " + group.key(), Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, clientId);
        this.thread.setDaemon(true);
    }

    /** Starts reading; touches no network on the caller's thread. */
    void start() {
        thread.start();
    }

    /**
     * Completes once this edge delivers the group's share of events: it holds its assigned
     * partitions at their positions, or holds none while other edges of the region take them.
     */
    CompletableFuture<Void> ready() {
        return ready;
    }

    String groupId() {
        return groupId;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(MeshKafkaTopics.EVENTS), new Handover());
            while (running) {
                Set<TopicPartition> stalled = new HashSet<>();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (running && !stalled.contains(partition) && !handle(record, partition)) {
                        // No member left: the event stays uncommitted, for whoever takes the partition next.
                        stalled.add(partition);
                        consumer.seek(partition, record.offset());
                    }
                }
                noteReady();
                if (System.currentTimeMillis() - committedAt >= COMMIT_INTERVAL_MS) {
                    commit(consumer.assignment(), false);
                }
            }
        } catch (KafkaException e) {
            ready.completeExceptionally(new IllegalStateException("the edge cannot read its share of this group's events "
                    + "(Kafka group " + groupId + "): " + e.getMessage(), e));
            LOG.warn("region {}: {}: {} stopped reading {} as Kafka group {}: {}", region, edgeId, group.key(),
                    MeshKafkaTopics.EVENTS, groupId, e.toString());
        } catch (RuntimeException e) {
            ready.completeExceptionally(new IllegalStateException("the edge stopped reading this group's events", e));
            LOG.error("region {}: {}: {} stopped reading {} as Kafka group {}", region, edgeId, group.key(),
                    MeshKafkaTopics.EVENTS, groupId, e); // a bug: keep the trace
        } finally {
            try {
                commit(consumer.assignment(), true);
            } catch (RuntimeException e) {
                LOG.warn("region {}: {}: {} could not commit its position before leaving Kafka group {}: {}", region, edgeId,
                        group.key(), groupId, e.toString());
            }
            consumer.close(ConsumerThreads.CLOSE_TIMEOUT); // leaves the group: its partitions go to the other edges now
            ready.complete(null);
        }
    }

    /** Hands a record's event to a member when it matches; false when there is no member to take it. */
    private boolean handle(ConsumerRecord<String, byte[]> record, TopicPartition partition) {
        MeshEvent event = matching(record);
        if (event != null && !group.handOver(new OutboundEvent(EnvelopeMapper.toEnvelope(event, record.timestamp())))) {
            return false;
        }
        handed.put(partition, record.offset() + 1);
        return true;
    }

    private MeshEvent matching(ConsumerRecord<String, byte[]> record) {
        if (!EdgeTracing.deliverable(record)) {
            return null; // a trace-only dry run: routed and traced, delivered to nobody
        }
        MeshEvent event;
        try {
            event = codec.decode(record);
        } catch (InvalidEventException e) {
            LOG.warn("region {}: {}: {} skips invalid event at {}-{}@{}: {} ({})", region, edgeId, group.key(),
                    record.topic(), record.partition(), record.offset(), e.getMessage(), e.field());
            return null;
        }
        GroupKey key = group.key();
        if (!key.pattern().matches(event.topic())
                || (selector != Selector.ACCEPT_ALL && !selector.matches(event.selectorContext().get()))) {
            return null;
        }
        return event;
    }

    private void noteReady() {
        if (ready.isDone() || consumer.groupMetadata().generationId() <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        if (joinedAt < 0) {
            joinedAt = now;
        } else if (now - joinedAt >= EMPTY_ASSIGNMENT_READY_MS) {
            ready.complete(null);
        }
    }

    /**
     * Commits what was handed over on {@code partitions}, with the time; partitions with nothing
     * handed yet commit their position, which refreshes the time a takeover checks.
     */
    private void commit(Collection<TopicPartition> partitions, boolean sync) {
        committedAt = System.currentTimeMillis();
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        String metadata = COMMITTED_AT + committedAt;
        for (TopicPartition partition : partitions) {
            Long offset = handed.get(partition);
            offsets.put(partition, new OffsetAndMetadata(offset != null ? offset : consumer.position(partition, KAFKA_TIMEOUT),
                    metadata));
        }
        if (sync) {
            consumer.commitSync(offsets, KAFKA_TIMEOUT);
        } else {
            consumer.commitAsync(offsets, (done, error) -> {
                if (error != null) {
                    LOG.warn("region {}: {}: {} could not commit its position in Kafka group {}: {}", region, edgeId,
                            group.key(), groupId, error.toString());
                }
            });
        }
    }

    /** Whether a committed position belongs to the group's present life (see the class comment). */
    static boolean resumable(OffsetAndMetadata committed, long now) {
        if (committed == null || !committed.metadata().startsWith(COMMITTED_AT)) {
            return false;
        }
        try {
            return now - Long.parseLong(committed.metadata().substring(COMMITTED_AT.length())) <= RESUME_WINDOW_MS;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Commits before a partition goes; positions a partition that comes, before any event of it is read. */
    private final class Handover implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                commit(partitions, true);
            } catch (RuntimeException e) {
                LOG.warn("region {}: {}: {} could not commit partitions {} before handing them over: {}; the next edge "
                        + "starts at the last commit", region, edgeId, group.key(), partitions, e.toString());
            }
            partitions.forEach(handed::remove);
            LOG.info("region {}: {}: {} releases partitions {} of {} to the other edges of the region (Kafka group {})",
                    region, edgeId, group.key(), numbers(partitions), MeshKafkaTopics.EVENTS, groupId);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(handed::remove); // another edge owns them already: committing now would fail
            LOG.warn("region {}: {}: {} lost partitions {} of {} (Kafka group {}): another edge took them from the last commit",
                    region, edgeId, group.key(), numbers(partitions), MeshKafkaTopics.EVENTS, groupId);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions), KAFKA_TIMEOUT);
            long now = System.currentTimeMillis();
            List<TopicPartition> stale = partitions.stream()
                    .filter(p -> committed.get(p) != null && !resumable(committed.get(p), now))
                    .toList();
            if (!stale.isEmpty()) {
                consumer.seekToEnd(stale);
            }
            partitions.forEach(p -> consumer.position(p, KAFKA_TIMEOUT)); // resolve the start now, before confirming
            LOG.info("region {}: {}: {} takes partitions {} of {} (Kafka group {}){}", region, edgeId, group.key(),
                    numbers(partitions), MeshKafkaTopics.EVENTS, groupId, stale.isEmpty() ? "" : "; " + numbers(stale)
                            + " start at the end: their last commit is older than " + RESUME_WINDOW_MS / 1000 + " s");
            ready.complete(null);
        }

        private static List<Integer> numbers(Collection<TopicPartition> partitions) {
            return partitions.stream().map(TopicPartition::partition).sorted().toList();
        }
    }

    /**
     * Stops reading: the feed's thread commits, leaves the Kafka group and closes within a poll
     * ({@value #POLL_TIMEOUT_MS} ms); does not wait. No wakeup: it would break the last commit.
     */
    @Override
    public void close() {
        running = false;
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(ConsumerThreads.CLOSE_TIMEOUT);
        }
    }
}
