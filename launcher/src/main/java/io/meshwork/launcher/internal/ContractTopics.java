package io.meshwork.launcher.internal;

import io.meshwork.core.kafka.MeshKafkaTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the contract topics of one region (DESIGN.md 2.2) where they do not exist yet. */
public final class ContractTopics {

    /** Partitions of {@code mesh.events} and of each link topic. */
    public static final int EVENT_PARTITIONS = 3;

    /** Partitions (delivery slots) of {@code mesh.deliveries}: up to this many edges per region read only their own events. */
    public static final int DELIVERY_PARTITIONS = 16;

    private ContractTopics() {
    }

    /**
     * @param region      the region whose cluster {@code admin} talks to
     * @param replication replication factor (1 for the embedded single-broker clusters)
     * @return the names of the contract topics of the region
     */
    public static List<String> ensure(Admin admin, String region, List<String> neighbours, short replication)
            throws InterruptedException, ExecutionException, TimeoutException {
        return ensure(admin, region, neighbours, replication, SpoolRetention.SEED);
    }

    /**
     * @param spool what each link's spool keeps while its link is down
     * @return the names of the contract topics of the region
     */
    public static List<String> ensure(Admin admin, String region, List<String> neighbours, short replication, SpoolRetention spool)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(new NewTopic(MeshKafkaTopics.EVENTS, EVENT_PARTITIONS, replication));
        wanted.add(new NewTopic(MeshKafkaTopics.INTEREST, 1, replication)
                .configs(Map.of("cleanup.policy", "compact")));
        wanted.add(new NewTopic(MeshKafkaTopics.ROUTES, 1, replication).configs(Map.of("cleanup.policy", "compact")));
        wanted.add(new NewTopic(MeshKafkaTopics.DLQ, 1, replication));
        wanted.add(new NewTopic(MeshKafkaTopics.DELIVERIES, DELIVERY_PARTITIONS, replication));
        // Control plane feeds: trace hops (a week) and directory heartbeats (an hour is plenty).
        wanted.add(new NewTopic(MeshKafkaTopics.TRACES, 1, replication).configs(Map.of("retention.ms", "604800000")));
        wanted.add(new NewTopic(MeshKafkaTopics.HEARTBEATS, 1, replication).configs(Map.of("retention.ms", "3600000")));
        for (String neighbour : neighbours) {
            wanted.add(new NewTopic(MeshKafkaTopics.link(neighbour), EVENT_PARTITIONS, replication)
                    .configs(spool.topicConfigs(EVENT_PARTITIONS)));
            // Where the links land: created here rather than by MirrorMaker 2 so the router can
            // subscribe before the first record crosses.
            wanted.add(new NewTopic(MeshKafkaTopics.arrivals(neighbour, region), EVENT_PARTITIONS, replication));
            wanted.add(new NewTopic(MeshKafkaTopics.remoteRoutes(neighbour), 1, replication)
                    .configs(Map.of("cleanup.policy", "compact")));
        }
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = wanted.stream().filter(topic -> !existing.contains(topic.name())).toList();
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        }
        return wanted.stream().map(NewTopic::name).toList();
    }
}
