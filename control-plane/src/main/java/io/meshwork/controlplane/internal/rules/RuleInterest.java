package io.meshwork.controlplane.internal.rules;

import io.meshwork.core.interest.EdgeLease;
import io.meshwork.core.interest.InterestKey;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes ACTIVE routing rules standing interest: each rule is written to its destination region's
 * {@code mesh.interest} exactly as an edge writes a subscription (key {@code sub|rule-<id>|...},
 * plus a lease {@code lease|rule-<id>}), so the region's router advertises it and every router
 * forwards matching events there. Routers need no change and no knowledge of rules.
 *
 * <p>Leases are renewed at every {@link #sync}; a rule suspended or deleted is tombstoned at
 * once, and one removed while the control plane was down expires with its lease.
 */
public final class RuleInterest implements AutoCloseable {

    /** Lease of a rule's interest: how long a rule outlives a control plane that stopped renewing it. */
    public static final Duration LEASE_TTL = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(RuleInterest.class);

    private record Published(String region, InterestKey key) {
    }

    private final Map<String, KafkaProducer<String, byte[]>> producers = new HashMap<>();
    private final Map<UUID, Published> published = new HashMap<>();
    private final java.util.Set<UUID> unroutable = new java.util.HashSet<>();

    public RuleInterest(Map<String, KafkaClients> regionKafka) {
        regionKafka.forEach((region, kafka) -> producers.put(region, kafka.producer("control plane rules of " + region, Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "control-plane-rules-" + region,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000),
                new StringSerializer(), new ByteArraySerializer())));
    }

    static String holder(UUID ruleId) {
        return "rule-" + ruleId;
    }

    /** Brings {@code mesh.interest} in line with {@code active} and renews the leases. */
    public synchronized void sync(List<RoutingRules.ActiveRule> active) {
        Set<UUID> wanted = active.stream().map(RoutingRules.ActiveRule::id).collect(Collectors.toSet());
        published.entrySet().removeIf(entry -> {
            Published old = entry.getValue();
            boolean gone = !wanted.contains(entry.getKey());
            boolean changed = !gone && active.stream().filter(r -> r.id().equals(entry.getKey()))
                    .anyMatch(r -> !r.region().equals(old.region()) || !key(r).equals(old.key()));
            if (gone || changed) {
                withdraw(entry.getKey(), old);
            }
            return gone || changed;
        });
        long expires = System.currentTimeMillis() + LEASE_TTL.toMillis();
        for (RoutingRules.ActiveRule rule : active) {
            KafkaProducer<String, byte[]> producer = producers.get(rule.region());
            if (producer == null) {
                if (!unroutable.add(rule.id())) {
                    continue; // said so already
                }
                LOG.warn("rule {}: destination region {} is not one the control plane writes to; the rule has no effect", rule.id(),
                        rule.region());
                continue;
            }
            InterestKey key = key(rule);
            send(rule.region(), InterestKey.lease(holder(rule.id())).encode(), new EdgeLease(rule.region(), expires).encode());
            if (published.putIfAbsent(rule.id(), new Published(rule.region(), key)) == null) {
                send(rule.region(), key.encode(), rule.region().getBytes(StandardCharsets.UTF_8));
                LOG.info("region {}: routing rule {} ({}) written as standing interest", rule.region(), rule.id(), rule.pattern());
            }
        }
    }

    private static InterestKey key(RoutingRules.ActiveRule rule) {
        return InterestKey.subscription(holder(rule.id()), rule.pattern(), rule.filter() == null ? "" : rule.filter());
    }

    private void withdraw(UUID id, Published old) {
        send(old.region(), old.key().encode(), null);
        send(old.region(), InterestKey.lease(holder(id)).encode(), null);
        LOG.info("region {}: routing rule {} withdrawn from the interest", old.region(), id);
    }

    private void send(String region, String key, byte[] value) {
        KafkaProducer<String, byte[]> producer = producers.get(region);
        if (producer == null) {
            return;
        }
        producer.send(new ProducerRecord<>(MeshKafkaTopics.INTEREST, key, value), (metadata, error) -> {
            if (error != null) {
                LOG.warn("region {}: could not write rule interest {}: {}", region, key, error.toString());
            }
        });
    }

    @Override
    public synchronized void close() {
        producers.values().forEach(producer -> producer.close(Duration.ofSeconds(5)));
    }
}
