package io.meshwork.controlplane.internal.acls;

import io.meshwork.core.auth.AclEntry;
import io.meshwork.core.auth.AclRecords;
import io.meshwork.core.kafka.CompactedFollower;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.PeriodicTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the ACL entries of {@link AclEntries} to every region's {@code mesh.acls} (key = entry id,
 * tombstone on delete), where the region's edges follow them. A change is written to every region
 * as part of the API call (each region's ack awaited for a few seconds); a region that could not
 * take it, or an entry changed while the control plane was down, is put right by the periodic
 * reconciliation, which compares the database with what each region's topic holds.
 *
 * <p>Changes and reconciliation hold one lock, and reconciliation reads the database inside it, so
 * it never withdraws an entry a concurrent request has just written.
 */
public final class AclDistribution implements AutoCloseable {

    /** How often the regions' topics are compared with the database. */
    public static final Duration RECONCILE_EVERY = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(AclDistribution.class);
    private static final Duration ACK_WAIT = Duration.ofSeconds(5);

    private final Map<String, Region> regions = new ConcurrentHashMap<>();
    private final Supplier<List<AclEntry>> database;
    private PeriodicTask reconciler;

    /** One region's writer, and what its topic holds as far as the follower has read. */
    private static final class Region {
        final KafkaProducer<String, byte[]> producer;
        final CompactedFollower follower;
        final Map<UUID, AclEntry> held = new ConcurrentHashMap<>();

        Region(String region, KafkaClients kafka) {
            producer = kafka.producer("control plane ACLs of " + region, Map.of(
                    ProducerConfig.CLIENT_ID_CONFIG, "control-plane-acls-" + region,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000),
                    new StringSerializer(), new ByteArraySerializer());
            follower = new CompactedFollower(region, MeshKafkaTopics.ACLS, "control-plane-acls-follower-" + region, kafka, record -> {
                try {
                    UUID id = UUID.fromString(record.key());
                    if (record.value() == null) {
                        held.remove(id);
                    } else {
                        held.put(id, AclRecords.decode(record.value()));
                    }
                } catch (IllegalArgumentException | NullPointerException e) {
                    // Unreadable: the next reconciliation overwrites it if the id is an entry's, else it stays ignored.
                    LOG.warn("region {}: unreadable {} record {}@{}: {}", region, MeshKafkaTopics.ACLS, record.key(), record.offset(),
                            e.getMessage());
                }
            });
        }
    }

    /** @param database reads every entry of the database (called under this object's lock) */
    public AclDistribution(Map<String, KafkaClients> regionKafka, Supplier<List<AclEntry>> database) {
        this.database = database;
        regionKafka.forEach((region, kafka) -> regions.put(region, new Region(region, kafka)));
    }

    public void start() {
        regions.values().forEach(region -> region.follower.start());
        reconciler = PeriodicTask.start("control-plane-acls", RECONCILE_EVERY, () -> {
            try {
                reconcile();
            } catch (RuntimeException e) {
                LOG.warn("control plane: ACL reconciliation failed this round: {}", e.toString());
            }
        });
    }

    /** Runs {@code create} (the database insert) and writes the entry it returns to every region. */
    public synchronized AclEntry create(Supplier<AclEntry> create) {
        AclEntry entry = create.get();
        send(entry.id(), AclRecords.encode(entry), "entry " + entry.id() + " (" + entry.principal() + " " + entry.effect().tag() + " "
                + entry.action().tag() + " '" + entry.filter().value() + "')");
        return entry;
    }

    /** Runs {@code delete} (the database delete) and, when it removed the entry, tombstones it in every region. */
    public synchronized boolean delete(UUID id, Supplier<Boolean> delete) {
        boolean deleted = delete.get();
        if (deleted) {
            send(id, null, "tombstone of entry " + id);
        }
        return deleted;
    }

    /** Writes what the regions' topics lack or hold wrongly, and tombstones what the database no longer has. */
    synchronized void reconcile() {
        Map<UUID, AclEntry> wanted = database.get().stream().collect(Collectors.toMap(AclEntry::id, entry -> entry));
        regions.forEach((name, region) -> {
            if (!region.follower.caughtUp().isDone()) {
                return; // not read yet: what it lacks is unknown
            }
            int written = 0;
            for (AclEntry entry : wanted.values()) {
                if (!entry.equals(region.held.get(entry.id()))) {
                    region.producer.send(new ProducerRecord<>(MeshKafkaTopics.ACLS, entry.id().toString(), AclRecords.encode(entry)));
                    written++;
                }
            }
            for (UUID stale : Set.copyOf(region.held.keySet())) {
                if (!wanted.containsKey(stale)) {
                    region.producer.send(new ProducerRecord<>(MeshKafkaTopics.ACLS, stale.toString(), null));
                    written++;
                }
            }
            if (written > 0) {
                region.producer.flush();
                LOG.info("region {}: {} brought in line with the control plane's {} ACL entries ({} records written)", name,
                        MeshKafkaTopics.ACLS, wanted.size(), written);
            }
        });
    }

    private void send(UUID id, byte[] value, String what) {
        List<Map.Entry<String, Future<RecordMetadata>>> sent = new ArrayList<>();
        regions.forEach((name, region) -> sent.add(Map.entry(name,
                region.producer.send(new ProducerRecord<>(MeshKafkaTopics.ACLS, id.toString(), value)))));
        for (Map.Entry<String, Future<RecordMetadata>> ack : sent) {
            Optional<String> failure = failure(ack.getValue());
            if (failure.isPresent()) {
                LOG.warn("region {}: ACL {} not written to {} yet ({}); reconciliation retries within {}", ack.getKey(), what,
                        MeshKafkaTopics.ACLS, failure.get(), RECONCILE_EVERY);
            } else {
                LOG.info("region {}: ACL {} written to {}", ack.getKey(), what, MeshKafkaTopics.ACLS);
            }
        }
    }

    private static Optional<String> failure(Future<RecordMetadata> ack) {
        try {
            ack.get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            return Optional.of("no ack within " + ACK_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    @Override
    public void close() {
        if (reconciler != null) {
            reconciler.close();
        }
        regions.values().forEach(region -> {
            region.follower.close();
            region.producer.close(Duration.ofSeconds(5));
        });
    }
}
