package io.meshwork.connectors.mesh;

import io.meshwork.connectors.internal.BrokerIdValidator;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.topology.Region;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings both mesh connectors share: which region they join and how they reach its Kafka
 * cluster. The region's cluster need not be the Connect worker's own cluster.
 */
public class MeshRegionConfig extends AbstractConfig {

    /** The region the connector publishes into or drains. */
    public static final String REGION = "mesh.region";
    private static final String REGION_DOC = "The mesh region whose cluster this connector writes to or reads from, e.g. us-east-1.";

    /** The region's Kafka cluster. */
    public static final String BOOTSTRAP_SERVERS = "mesh.bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC = "host:port list of the region's Kafka cluster (the one holding mesh.events).";

    /** Id of the region's broker on routing paths. */
    public static final String BROKER_ID = "mesh.broker.id";
    private static final String BROKER_ID_DOC = "Id of the region's broker on routing paths (mesh_path); defaults to the region name, "
            + "as the embedded mesh and `mesh edge` use.";

    /** Prefix of further client settings of the region's cluster (TLS, SASL, ...). */
    public static final String KAFKA_PREFIX = "mesh.kafka.";

    /** Both connectors' shared definitions, to extend. */
    static ConfigDef regionDef() {
        return new ConfigDef()
                .define(REGION, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, MeshRegionConfig::checkRegion, Importance.HIGH, REGION_DOC)
                .define(BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
                .define(BROKER_ID, Type.STRING, null, BrokerIdValidator.optional(), Importance.LOW, BROKER_ID_DOC);
    }

    MeshRegionConfig(ConfigDef definition, Map<String, String> props) {
        super(definition, props);
    }

    /** The region's name. */
    public String region() {
        return getString(REGION);
    }

    /** The broker id stamped on the routing path of published events. */
    public String brokerId() {
        String id = getString(BROKER_ID);
        return id == null ? region() : id;
    }

    /** Clients of the region's cluster: {@value #BOOTSTRAP_SERVERS} plus every {@value #KAFKA_PREFIX}* setting. */
    public KafkaClients kafka() {
        Map<String, String> settings = new HashMap<>();
        originalsWithPrefix(KAFKA_PREFIX).forEach((key, value) -> settings.put(key, String.valueOf(value)));
        settings.put("bootstrap.servers", getString(BOOTSTRAP_SERVERS));
        return KafkaClients.of(settings);
    }

    private static void checkRegion(String name, Object value) {
        if (value == null || !Region.isValidName(value.toString())) {
            throw new ConfigException(name, value, "not a region name (must match " + Region.NAME_PATTERN.pattern() + ")");
        }
    }
}
