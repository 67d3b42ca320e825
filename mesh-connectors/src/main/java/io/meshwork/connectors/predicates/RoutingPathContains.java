package io.meshwork.connectors.predicates;

import io.meshwork.connectors.LinkGuardCounters;
import io.meshwork.connectors.internal.BrokerIdValidator;
import io.meshwork.connectors.internal.RoutingHeaders;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.apache.kafka.connect.transforms.util.SimpleConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * True for a record whose {@code mesh_path} already holds {@code broker.id}: the event has entered
 * that broker before, so carrying it there again would be a routing loop. Each match is logged at
 * WARN (topic and {@code ce_id}) and counted in {@link LinkGuardCounters#loopsDetected()}.
 * Records without a {@code mesh_path} do not match.
 *
 * <pre>
 * transforms=loopGuard
 * transforms.loopGuard.type=org.apache.kafka.connect.transforms.Filter
 * transforms.loopGuard.predicate=pathHasTarget
 * predicates=pathHasTarget
 * predicates.pathHasTarget.type=io.meshwork.connectors.predicates.RoutingPathContains
 * predicates.pathHasTarget.broker.id=us-east-1
 * </pre>
 *
 * @param <R> the record type
 */
public class RoutingPathContains<R extends ConnectRecord<R>> implements Predicate<R> {

    /** Describes this predicate in Connect's plugin listings. */
    public static final String OVERVIEW_DOC = "Matches records whose mesh_path header already holds broker.id "
            + "(a routing loop).";

    /** The broker id looked for on the routing path. */
    public static final String BROKER_ID_CONFIG = "broker.id";
    private static final String BROKER_ID_DOC = "Id of the broker that must not appear on mesh_path: the region "
            + "name of the link's target cluster, e.g. us-east-1.";

    /** This predicate's settings. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(BROKER_ID_CONFIG, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, BrokerIdValidator.required(),
                    ConfigDef.Importance.HIGH, BROKER_ID_DOC);

    private static final Logger log = LoggerFactory.getLogger(RoutingPathContains.class);

    private String brokerId;
    private LinkGuardCounters counters;

    /**
     * @throws org.apache.kafka.common.config.ConfigException naming {@value #BROKER_ID_CONFIG} when
     *         it is missing, blank, or contains a comma or whitespace
     */
    @Override
    public void configure(Map<String, ?> props) {
        SimpleConfig config = new SimpleConfig(CONFIG_DEF, props);
        brokerId = config.getString(BROKER_ID_CONFIG);
        counters = LinkGuardCounters.forBroker(brokerId);
    }

    @Override
    public boolean test(R record) {
        if (brokerId == null) {
            throw new IllegalStateException("RoutingPathContains used before configure()");
        }
        if (record == null) {
            return false;
        }
        List<String> path = RoutingHeaders.path(record.headers());
        if (!path.contains(brokerId)) {
            return false;
        }
        counters.countLoop();
        log.warn("Routing loop: event {} on topic {} has already entered broker {} (mesh_path {})",
                RoutingHeaders.eventIdForLog(record.headers()), record.topic(), brokerId, String.join(",", path));
        return true;
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        // Nothing held; counters outlive the instance on purpose.
    }

    @Override
    public String toString() {
        return "RoutingPathContains{broker.id=" + brokerId + "}";
    }
}
