package io.meshwork.connectors.links;

import io.meshwork.core.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the target's arrival topic {@code <origin>.mesh.link.<target>} hold as many partitions as
 * the origin's spool, so that a push link can write every spool partition into the partition of
 * the same number (the copy keeps the partition: the destination's router relies on a key landing
 * on the same partition number on every path). Arrival topics are created with the region from
 * its topic contract; this only grows one when the spool grew while the link ran.
 *
 * <p>Why the link grows it rather than waiting for an operator: records for a partition the target
 * lacks would fail to send (no metadata for it), and every such failure rewinds the whole link,
 * holding back the partitions the target does have. When the link may not grow it (no
 * {@code ALTER} on the topic, the target does not answer), the new partitions' records stay in the
 * spool, the others go on, and a WARN names the command that unblocks them.
 *
 * <p>The admin client is made on the first growth: most links never need one.
 */
final class ArrivalRoom implements AutoCloseable {

    /** Logs as the link it serves (see LinkPump). */
    private static final Logger LOG = LoggerFactory.getLogger(PushLink.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String link;
    private final String target;
    private final String arrivalTopic;
    private final KafkaClients targetKafka;
    private Admin admin;
    private int warnedFor;

    ArrivalRoom(String link, String target, String arrivalTopic, KafkaClients targetKafka) {
        this.link = link;
        this.target = target;
        this.arrivalTopic = arrivalTopic;
        this.targetKafka = targetKafka;
    }

    /**
     * Grows the arrival topic to {@code partitions} if it has fewer.
     *
     * @return whether it now has at least {@code partitions}; false (after one WARN per count) when
     *         the target did not answer or refused
     */
    boolean ensure(int partitions) {
        try {
            int has = admin().describeTopics(List.of(arrivalTopic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(arrivalTopic).partitions().size();
            if (has >= partitions) {
                return true;
            }
            admin().createPartitions(Map.of(arrivalTopic, NewPartitions.increaseTo(partitions))).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("link {}: grew {} in {} from {} to {} partitions, as the spool", link, arrivalTopic, target, has, partitions);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidPartitionsException) {
                return false; // grown by someone else meanwhile: the next check sees it
            }
            warn(partitions, e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            warn(partitions, "no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            warn(partitions, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return false;
    }

    private void warn(int partitions, String cause) {
        if (warnedFor == partitions) {
            LOG.debug("link {}: {} in {} still lacks partitions ({})", link, arrivalTopic, target, cause);
            return;
        }
        warnedFor = partitions;
        LOG.warn("link {}: cannot grow {} in {} to the spool's {} partitions ({}); the new partitions' events wait in the spool "
                + "until it has them (kafka-topics.sh --alter --topic {} --partitions {} on {}'s cluster)", link, arrivalTopic, target,
                partitions, cause, arrivalTopic, partitions, target);
    }

    private Admin admin() {
        if (admin == null) {
            admin = targetKafka.admin("link " + link + " (far side)", Map.of(
                    AdminClientConfig.CLIENT_ID_CONFIG, "meshwork-link-" + link + "-admin",
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
        }
        return admin;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
