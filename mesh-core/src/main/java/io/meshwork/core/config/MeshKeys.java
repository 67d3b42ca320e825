package io.meshwork.core.config;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.SpoolRetention;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The keys every region service reads ({@code mesh.*}), and the {@code kafka.*} family of its own cluster. */
public final class MeshKeys {

    public static final String REGION = "mesh.region";
    public static final String TOPOLOGY = "mesh.topology";
    public static final String TOPICS_CREATE = "mesh.topics.create";
    public static final String SPOOL_BYTES = "mesh.spool.bytes";
    public static final String SPOOL_RETENTION = "mesh.spool.retention";
    public static final String STARTUP_CHECK_TIMEOUT = "mesh.startup.check.timeout";

    /** How long a cluster may take to answer the start-up check, unless {@value #STARTUP_CHECK_TIMEOUT} says otherwise. */
    public static final Duration DEFAULT_STARTUP_CHECK_TIMEOUT = Duration.ofSeconds(15);

    /** Region names: what the topology accepts. */
    public static final Pattern REGION_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    /** {@code kafka.*}: the client settings of the service's own cluster. */
    public static final PassThrough KAFKA = new PassThrough(KafkaClients.PREFIX,
            "Kafka client settings of this region's cluster, given to every producer, consumer, admin client and Kafka Streams "
                    + "of the service without the 'kafka.' prefix (kafka.security.protocol -> security.protocol): "
                    + "bootstrap.servers (required), security.protocol, sasl.*, ssl.*, client.rack, ... "
                    + "Settings the mesh needs for correctness (serializers, group ids, isolation.level, transactions) win over these.");

    private MeshKeys() {
    }

    /** Adds {@code mesh.region} (required) to {@code definition}. */
    public static ConfigDef region(ConfigDef definition) {
        return definition.define(REGION, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, regionName(), Importance.HIGH,
                "The region this service serves, as named in the topology, e.g. us-east-1.");
    }

    /** Adds {@code mesh.topology} to {@code definition}. */
    public static ConfigDef topology(ConfigDef definition) {
        return definition.define(TOPOLOGY, Type.STRING, null, Importance.MEDIUM,
                "Topology YAML file (regions, ports, links). Default: the bundled three-region topology.");
    }

    /** Adds {@code mesh.topics.create} to {@code definition}. */
    public static ConfigDef topicsCreate(ConfigDef definition) {
        return definition.define(TOPICS_CREATE, Type.BOOLEAN, true, Importance.MEDIUM,
                "Create the region's contract topics that are missing at start (true), or only check that every one exists "
                        + "as the contract says and stop otherwise (false: for clusters whose topics the operators create, "
                        + "e.g. with 'mesh topics apply'). Existing topics are checked either way.");
    }

    /**
     * Adds {@code mesh.spool.bytes} and {@code mesh.spool.retention}: part of the topic contract, so
     * every service of a region that creates or checks topics must be given the same values.
     */
    public static ConfigDef spool(ConfigDef definition) {
        return definition
                .define(SPOOL_BYTES, Type.LONG, SpoolRetention.SEED.bytesPerLink(), ConfigDef.Range.atLeast(1024L * 1024),
                        Importance.MEDIUM, "Most bytes each link's spool (mesh.link.<neighbour>) keeps while the link is down "
                                + "(the seed's 50 GiB). Part of the topic contract: give every service of the region the same value.")
                .define(SPOOL_RETENTION, Type.STRING, "7d", ConfigSchema.duration(d -> d.toMinutes() >= 1, "1m or more"),
                        Importance.MEDIUM, "Longest an event waits in a link's spool. Part of the topic contract: give every "
                                + "service of the region the same value.");
    }

    /**
     * Adds {@code mesh.startup.check.timeout}: how long a service waits at start for each cluster it
     * uses to answer, before it stops naming the cluster's {@code bootstrap.servers} key.
     */
    public static ConfigDef startupCheck(ConfigDef definition) {
        return definition.define(STARTUP_CHECK_TIMEOUT, Type.STRING, Durations.format(DEFAULT_STARTUP_CHECK_TIMEOUT),
                ConfigSchema.duration(d -> d.toMillis() >= 1_000 && d.compareTo(Duration.ofMinutes(10)) <= 0, "1s to 10m"), Importance.LOW,
                "How long each Kafka cluster the service uses may take, at start, to answer and accept the principal; "
                        + "past it the service stops with a line naming the cluster's bootstrap.servers key. Raise it for "
                        + "clusters that are slow to answer (far away, or still starting).");
    }

    /** The common keys: region, topology, topic creation, the spool limits of the topic contract and the start-up check. */
    public static ConfigDef common() {
        return startupCheck(spool(topicsCreate(topology(region(new ConfigDef())))));
    }

    /** The start-up check limit {@code config} holds. */
    public static Duration startupCheckTimeout(MeshConfig config) {
        return config.duration(STARTUP_CHECK_TIMEOUT);
    }

    /** The spool limits {@code config} holds. */
    public static SpoolRetention spool(MeshConfig config) {
        return new SpoolRetention(config.longValue(SPOOL_BYTES), config.duration(SPOOL_RETENTION));
    }

    /** A validator of region names. */
    public static ConfigDef.Validator regionName() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value != null && !REGION_NAME.matcher(value.toString()).matches()) {
                    throw new ConfigException(name, value, "must match " + REGION_NAME.pattern());
                }
            }

            @Override
            public String toString() {
                return "a region name matching " + REGION_NAME.pattern();
            }
        };
    }
}
