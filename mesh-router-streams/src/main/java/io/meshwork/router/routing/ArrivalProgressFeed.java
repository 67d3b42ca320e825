package io.meshwork.router.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.meshwork.core.kafka.ConsumerThreads;
import io.meshwork.core.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.ExponentialBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors the arrival tasks' {@link ArrivalProgress#STORE} store into this instance's
 * {@link ArrivalProgress}, by reading the store's changelog whole ({@code read_committed}, no
 * consumer group), so that whichever instance sends the region's link state reports the
 * progress of every arrival partition, including those another instance processes. The
 * changelog is created by Kafka Streams when the router first joins its group; until then this
 * feed waits for it, backing off, and a close ends the wait at once.
 */
public final class ArrivalProgressFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArrivalProgressFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);
    /** Between two looks for the changelog: 100 ms, doubling up to 5 s. */
    private static final ExponentialBackoff CHANGELOG_BACKOFF = new ExponentialBackoff(100, 2, 5_000, 0.2);

    private final String region;
    private final String topic;
    private final ArrivalProgress progress;
    private final KafkaConsumer<String, Long> consumer;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean running = true;

    private ArrivalProgressFeed(String region, String topic, ArrivalProgress progress, KafkaConsumer<String, Long> consumer) {
        this.region = region;
        this.topic = topic;
        this.progress = progress;
        this.consumer = consumer;
        this.thread = new Thread(this::run, "arrival-progress-" + region);
        this.thread.setDaemon(true);
    }

    /**
     * The changelog topic of the progress store, named as Kafka Streams names changelogs
     * ({@code <application.id>-<store>-changelog}).
     */
    public static String changelogTopic(String applicationId) {
        return applicationId + "-" + ArrivalProgress.STORE + "-changelog";
    }

    /** Starts following the progress store of the router with {@code applicationId}. */
    public static ArrivalProgressFeed start(String region, KafkaClients kafka, String applicationId, ArrivalProgress progress) {
        KafkaConsumer<String, Long> consumer = kafka.consumer("router " + region + " arrival progress", Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "meshwork-arrival-progress-" + region,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Streams creates the changelog with the partitions it needs; a metadata request
                // must never create it first with the broker's defaults.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                // The store's changelog is written in the router's transactions: report only what committed.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new LongDeserializer());
        ArrivalProgressFeed feed = new ArrivalProgressFeed(region, changelogTopic(applicationId), progress, consumer);
        feed.thread.start();
        return feed;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitChangelog();
            if (partitions.isEmpty()) {
                return; // closed while waiting
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            LOG.debug("region {}: following arrival progress on {} ({} partitions)", region, topic, partitions.size());
            while (running) {
                for (ConsumerRecord<String, Long> record : consumer.poll(POLL)) {
                    if (record.value() != null) {
                        progress.apply(record.key(), record.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                LOG.warn("region {}: stopped following {} ({}); link states report the progress known so far", region, topic, e.toString());
            }
        } finally {
            consumer.close(ConsumerThreads.CLOSE_TIMEOUT);
        }
    }

    /**
     * The changelog's partitions once the topic exists; none when closed first. Streams creates
     * the changelog in its group's first assignment, so it normally exists when this feed starts
     * (the router starts it once Streams runs), but the broker answering may not know it yet: ask
     * again, backing off, and stop waiting at once on close.
     */
    private List<TopicPartition> awaitChangelog() throws InterruptedException {
        for (long attempt = 0; running; attempt++) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            long backoff = CHANGELOG_BACKOFF.backoff(attempt);
            LOG.debug("region {}: {} does not exist yet; asking again in {} ms", region, topic, backoff);
            if (closing.await(backoff, TimeUnit.MILLISECONDS)) {
                break;
            }
        }
        return List.of();
    }

    @Override
    public void close() {
        running = false;
        closing.countDown();
        try {
            ConsumerThreads.stop(thread, consumer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
