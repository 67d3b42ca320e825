package io.meshwork.core.config;

import io.meshwork.core.kafka.KafkaClients;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The keys every region service reads ({@code mesh.*}), and the {@code kafka.*} family of its own cluster. */
public final class MeshKeys {

    public static final String REGION = "mesh.region";
    public static final String TOPOLOGY = "mesh.topology";

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

    /** Both common keys. */
    public static ConfigDef common() {
        return topology(region(new ConfigDef()));
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
