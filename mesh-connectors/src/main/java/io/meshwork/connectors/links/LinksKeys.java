package io.meshwork.connectors.links;

import io.meshwork.core.config.ConfigSchema;
import io.meshwork.core.config.Durations;
import io.meshwork.core.config.InvalidSettingException;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.config.PassThrough;
import io.meshwork.core.kafka.KafkaClients;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The keys of {@code mesh links}, each declared once here, and how they become a {@link LinksConfig}. */
public final class LinksKeys {

    public static final String MODE = "links.mode";
    public static final String REPLICATION_FACTOR = "links.replication.factor";
    public static final String TASKS_MAX = "links.tasks.max";
    public static final String REFRESH_TOPICS_INTERVAL = "links.refresh.topics.interval";

    /** {@code links.neighbours.<region>.kafka.*}: how this region reaches each neighbour's cluster. */
    public static final PassThrough NEIGHBOURS = new PassThrough("links.neighbours.<region>.kafka.",
            "Kafka client settings of each neighbour's cluster, as this region reaches it (across the link): "
                    + "bootstrap.servers (required for every neighbour in the topology), security.protocol, sasl.*, ssl.*, ... "
                    + "They reach the push links' producers, the control channels' consumers and MirrorMaker's source cluster.");

    /** {@link LinkMode#parse}'s rule, any case. */
    private static final ConfigDef.Validator MODES = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                LinkMode.parse(value == null ? null : value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "must be push or mirrormaker");
            }
        }

        @Override
        public String toString() {
            return "push, mirrormaker";
        }
    };

    private LinksKeys() {
    }

    /** Every key {@code mesh links} reads. */
    public static ConfigSchema schema() {
        LinkSettings embedded = LinkSettings.embedded();
        ConfigDef keys = MeshKeys.common()
                .define(MODE, Type.STRING, "push", MODES, Importance.HIGH,
                        "What carries the data: push links run by this region into its neighbours (push), or MirrorMaker 2 "
                                + "pulling from them into this region (mirrormaker).")
                .define(REPLICATION_FACTOR, Type.INT, embedded.replicationFactor(), Range.between(1, Short.MAX_VALUE),
                        Importance.HIGH, "Replication factor of every topic the links or MirrorMaker create; at most the "
                                + "brokers per cluster (3 in production).")
                .define(TASKS_MAX, Type.INT, embedded.tasksMax(), Range.atLeast(1), Importance.MEDIUM,
                        "Most MirrorMaker tasks per link; a task carries a share of the link topic's partitions.")
                .define(REFRESH_TOPICS_INTERVAL, Type.STRING, Durations.format(embedded.refreshTopicsInterval()),
                        ConfigSchema.duration(d -> d.toSeconds() >= 1 && d.getNano() == 0, "whole seconds, 1s or more"),
                        Importance.LOW, "How often MirrorMaker looks for new link topics and partitions.");
        return new ConfigSchema("links", keys, List.of(MeshKeys.KAFKA, NEIGHBOURS));
    }

    /**
     * The links' settings from their loaded configuration.
     *
     * @param neighbours the region's neighbours in the topology: each needs its cluster's settings, and no other
     * @throws io.meshwork.core.config.ConfigError naming the source and key of a bad or missing value
     */
    public static LinksConfig build(MeshConfig config, List<String> neighbours) {
        String region = config.string(MeshKeys.REGION);
        Map<String, KafkaClients> clusters = config.kafkaByName(NEIGHBOURS);
        for (String neighbour : neighbours) {
            if (!clusters.containsKey(neighbour)) {
                throw config.error(new InvalidSettingException(NEIGHBOURS.key(neighbour, "bootstrap.servers"),
                        "missing required value: " + neighbour + " is a neighbour of " + region + " in the topology"));
            }
        }
        Set<String> extra = new TreeSet<>(clusters.keySet());
        neighbours.forEach(extra::remove);
        if (!extra.isEmpty()) {
            String first = extra.iterator().next();
            throw config.error(new InvalidSettingException(NEIGHBOURS.key(first, "bootstrap.servers"),
                    first + " is not a neighbour of " + region + " in the topology (its neighbours: " + neighbours + ")"));
        }
        return config.build(() -> new LinksConfig(region, config.kafka(), clusters, LinkMode.parse(config.string(MODE)),
                new LinkSettings(config.integer(REPLICATION_FACTOR), config.integer(TASKS_MAX),
                        config.duration(REFRESH_TOPICS_INTERVAL))));
    }
}
