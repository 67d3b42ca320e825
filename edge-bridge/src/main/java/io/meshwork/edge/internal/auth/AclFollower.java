package io.meshwork.edge.internal.auth;

import io.meshwork.core.auth.AclEntry;
import io.meshwork.core.auth.AclRecords;
import io.meshwork.core.auth.AclTable;
import io.meshwork.core.kafka.CompactedFollower;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an edge's {@link AclTable} equal to its region's {@code mesh.acls}: read from the beginning
 * at start (so a restarted edge has every entry before it serves a client), then followed, so an
 * entry the control plane writes applies to the next publish or subscribe within the poll interval.
 */
public final class AclFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AclFollower.class);

    private final String region;
    private final AclTable table;
    private final CompactedFollower follower;

    private AclFollower(KafkaClients kafka, String region, AclTable table, String owner) {
        this.region = region;
        this.table = table;
        this.follower = new CompactedFollower(region, MeshKafkaTopics.ACLS, "meshwork-acls-" + owner, kafka, this::apply);
    }

    /**
     * Starts following and returns once the topic's current entries are in {@code table}: an edge
     * that served before would grant what a deny entry forbids.
     *
     * @param owner names the reader's thread and client, e.g. the edge's id
     * @throws TimeoutException when {@code mesh.acls} could not be read to its end within {@code wait}
     */
    public static AclFollower start(KafkaClients kafka, String region, AclTable table, String owner, Duration wait)
            throws TimeoutException, InterruptedException {
        AclFollower follower = new AclFollower(kafka, region, table, owner);
        follower.follower.start();
        try {
            follower.follower.caughtUp().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            follower.close();
            throw new TimeoutException("region " + region + ": " + MeshKafkaTopics.ACLS + " not read to its end within " + wait
                    + " (does the topic exist, and may this edge read it?)");
        } catch (ExecutionException e) {
            follower.close();
            throw new IllegalStateException("region " + region + ": cannot read " + MeshKafkaTopics.ACLS, e.getCause());
        }
        LOG.info("region {}: {} read, {} ACL entries", region, MeshKafkaTopics.ACLS, table.size());
        return follower;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        UUID id;
        try {
            id = UUID.fromString(record.key());
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.warn("region {}: skipping {}@{}: key '{}' is not an entry id", region, MeshKafkaTopics.ACLS, record.offset(), record.key());
            return;
        }
        if (record.value() == null) {
            table.remove(id);
            if (follower.caughtUp().isDone()) {
                LOG.info("region {}: ACL entry {} removed", region, id);
            }
            return;
        }
        try {
            AclEntry entry = AclRecords.decode(record.value());
            table.put(entry);
            if (follower.caughtUp().isDone()) { // the initial load is summed up in one line instead
                LOG.info("region {}: ACL entry {}: {} {} {} '{}'", region, id, entry.principal(), entry.effect().tag(),
                        entry.action().tag(), entry.filter().value());
            }
        } catch (IllegalArgumentException e) {
            // An unreadable entry must not keep granting what it granted before.
            table.remove(id);
            LOG.warn("region {}: skipping {}@{} (entry {}): {}", region, MeshKafkaTopics.ACLS, record.offset(), id, e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
