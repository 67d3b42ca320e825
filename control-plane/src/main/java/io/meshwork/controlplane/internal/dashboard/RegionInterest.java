package io.meshwork.controlplane.internal.dashboard;

import io.meshwork.core.kafka.CompactedFollower;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every region's interest for the dashboard: each region's compacted {@code mesh.interest},
 * followed from its beginning, into an {@link InterestTable}.
 */
public final class RegionInterest implements AutoCloseable {

    private final Map<String, InterestTable> tables = new TreeMap<>();
    private final List<CompactedFollower> followers = new ArrayList<>();

    public RegionInterest(Map<String, KafkaClients> regionKafka) {
        regionKafka.forEach((region, kafka) -> {
            InterestTable table = new InterestTable();
            tables.put(region, table);
            followers.add(new CompactedFollower(region, MeshKafkaTopics.INTEREST, "control-plane-dashboard-interest-" + region, kafka,
                    record -> {
                        synchronized (table) {
                            table.apply(record.key(), record.value());
                        }
                    }));
        });
        followers.forEach(CompactedFollower::start);
    }

    /** Region → its live interest rows (see {@link InterestTable#view}). */
    public Map<String, Object> view() {
        long now = System.currentTimeMillis();
        Map<String, Object> regions = new LinkedHashMap<>();
        tables.forEach((region, table) -> {
            synchronized (table) {
                regions.put(region, table.view(now));
            }
        });
        return regions;
    }

    @Override
    public void close() {
        followers.forEach(CompactedFollower::close);
    }
}
