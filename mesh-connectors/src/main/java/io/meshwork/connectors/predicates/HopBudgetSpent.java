package io.meshwork.connectors.predicates;

import io.meshwork.connectors.LinkGuardCounters;
import io.meshwork.connectors.internal.BrokerIdValidator;
import io.meshwork.connectors.internal.RoutingHeaders;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.apache.kafka.connect.transforms.util.SimpleConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * True for a record whose {@code mesh_hops} is a number no greater than zero: the event may take
 * no further hop. Each match is logged at WARN (topic and {@code ce_id}) and counted in
 * {@link LinkGuardCounters#hopLimitHits()}. A missing or non-numeric {@code mesh_hops} does not
 * match: such records are the receiving router's to dead-letter.
 *
 * <p>The optional {@code broker.id} only says whose counters and log lines the matches go to;
 * without it they count under {@link LinkGuardCounters#UNSPECIFIED_BROKER}.
 *
 * <pre>
 * transforms=hopLimit
 * transforms.hopLimit.type=org.apache.kafka.connect.transforms.Filter
 * transforms.hopLimit.predicate=hopsSpent
 * predicates=hopsSpent
 * predicates.hopsSpent.type=io.meshwork.connectors.predicates.HopBudgetSpent
 * </pre>
 *
 * @param <R> the record type
 */
public class HopBudgetSpent<R extends ConnectRecord<R>> implements Predicate<R> {

    /** Describes this predicate in Connect's plugin listings. */
    public static final String OVERVIEW_DOC = "Matches records whose mesh_hops header is a number <= 0.";

    /** Optional: the broker the guarded link enters, used for counters and logs only. */
    public static final String BROKER_ID_CONFIG = "broker.id";
    private static final String BROKER_ID_DOC = "Optional. Id of the broker the guarded link enters (the region "
            + "name of its target cluster); matches are counted and logged under it.";

    /** This predicate's settings. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(BROKER_ID_CONFIG, ConfigDef.Type.STRING, null, BrokerIdValidator.optional(),
                    ConfigDef.Importance.LOW, BROKER_ID_DOC);

    private static final Logger log = LoggerFactory.getLogger(HopBudgetSpent.class);

    private String brokerId = LinkGuardCounters.UNSPECIFIED_BROKER;
    private LinkGuardCounters counters = LinkGuardCounters.forBroker(null);

    /**
     * @throws org.apache.kafka.common.config.ConfigException naming {@value #BROKER_ID_CONFIG} when
     *         it is given but blank, or contains a comma or whitespace
     */
    @Override
    public void configure(Map<String, ?> props) {
        SimpleConfig config = new SimpleConfig(CONFIG_DEF, props);
        counters = LinkGuardCounters.forBroker(config.getString(BROKER_ID_CONFIG));
        brokerId = counters.brokerId();
    }

    @Override
    public boolean test(R record) {
        if (record == null) {
            return false;
        }
        OptionalInt hops = RoutingHeaders.hopBudget(record.headers());
        if (hops.isEmpty() || hops.getAsInt() > 0) {
            return false;
        }
        counters.countHopLimitHit();
        log.warn("Hop budget spent: event {} on topic {} arrived for broker {} with mesh_hops {}",
                RoutingHeaders.eventIdForLog(record.headers()), record.topic(), brokerId, hops.getAsInt());
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
        return "HopBudgetSpent{broker.id=" + brokerId + "}";
    }
}
