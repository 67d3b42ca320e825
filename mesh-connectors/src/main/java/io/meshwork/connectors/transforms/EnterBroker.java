package io.meshwork.connectors.transforms;

import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.connectors.LinkGuardCounters;
import io.meshwork.connectors.internal.BrokerIdValidator;
import io.meshwork.connectors.internal.RoutingHeaders;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.envelope.Routing;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.util.SimpleConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stamps a record that crosses a link as having entered broker {@code broker.id}: appends the id
 * to {@code mesh_path} and spends one hop of {@code mesh_hops}; under MirrorMaker (and the push
 * link, which presents records the same way) it also records the record's offset in the sender's spool ({@code mesh_link_offset}), from which the receiving
 * router reports its progress. Every other header, the key, the value, the timestamp, the topic
 * and the partition are kept.
 *
 * <p>A record without complete, valid routing headers, or whose hop budget is already spent,
 * passes through unchanged: the router of the target region dead-letters it, and one bad record
 * must not stop the link. This transformation never throws on record content. Put the loop and
 * hop-limit guards ({@code RoutingPathContains}, {@code HopBudgetSpent} with {@code Filter})
 * before it, so that only records allowed to enter reach it.
 *
 * <pre>
 * transforms=enter
 * transforms.enter.type=io.meshwork.connectors.transforms.EnterBroker
 * transforms.enter.broker.id=us-east-1
 * </pre>
 *
 * @param <R> the record type (a {@code SourceRecord} under MirrorMaker)
 */
public class EnterBroker<R extends ConnectRecord<R>> implements Transformation<R> {

    /** Describes this transformation in Connect's plugin listings. */
    public static final String OVERVIEW_DOC = "Appends broker.id to the mesh_path header and spends one hop of "
            + "mesh_hops; records without usable routing headers pass through unchanged.";

    /** The broker (region name) the records enter. */
    public static final String BROKER_ID_CONFIG = "broker.id";
    private static final String BROKER_ID_DOC = "Id of the broker the records enter over this link: the region "
            + "name of the link's target cluster, e.g. us-east-1.";

    /** This transformation's settings. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(BROKER_ID_CONFIG, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, BrokerIdValidator.required(),
                    ConfigDef.Importance.HIGH, BROKER_ID_DOC);

    /** Where MirrorMaker's source records keep the offset in the source partition. */
    private static final String SOURCE_OFFSET_KEY = "offset";

    private static final Logger log = LoggerFactory.getLogger(EnterBroker.class);

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
    public R apply(R record) {
        if (brokerId == null) {
            throw new IllegalStateException("EnterBroker used before configure()");
        }
        if (record == null) {
            return null;
        }
        Optional<Routing> routing = RoutingHeaders.routing(record.headers()).filter(r -> r.hopBudget() > 0);
        if (routing.isEmpty()) {
            counters.countUnrouted();
            // Debug only: the receiving router dead-letters the record and says so.
            log.debug("Record on {} ({}) has no usable routing headers; passing it to {} unchanged",
                    record.topic(), RoutingHeaders.eventIdForLog(record.headers()), brokerId);
            return record;
        }
        Headers headers = RoutingHeaders.withPathAndHops(record.headers(), routing.get().enter(brokerId));
        if (record instanceof SourceRecord source && source.sourceOffset() != null
                && source.sourceOffset().get(SOURCE_OFFSET_KEY) instanceof Number offset) {
            headers.remove(MeshHeaders.LINK_OFFSET)
                    .addBytes(MeshHeaders.LINK_OFFSET, MeshHeaderCodec.linkOffsetValue(offset.longValue()));
        }
        counters.countEntered();
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), record.timestamp(), headers);
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        // Nothing held; counters outlive the instance on purpose.
    }
}
