package io.meshwork.connectors.links;

import io.meshwork.core.kafka.KafkaClients;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The links of one region in {@link LinkMode#PUSH}: a {@link PushLink} from this region's spool
 * {@code mesh.link.<neighbour>} into every neighbour's {@code <region>.mesh.link.<neighbour>}, and
 * the {@link ControlChannel}s that relay each neighbour's {@code mesh.routes} into this region,
 * as under MirrorMaker. The destination's router reads the same topics with the same headers
 * whichever mode wrote them.
 */
public final class RegionPushLinks implements RegionLinks {

    private static final Logger LOG = LoggerFactory.getLogger(RegionPushLinks.class);

    private final String region;
    private final ControlChannels control;
    private final List<PushLink> data;

    private RegionPushLinks(String region, ControlChannels control, List<PushLink> data) {
        this.region = region;
        this.control = control;
        this.data = data;
    }

    /**
     * Starts the links of {@code region}; returns at once (each link waits for its spool and
     * its neighbour on a thread of its own).
     *
     * @param local          this region's cluster
     * @param neighbourKafka how this region reaches each neighbour's cluster, across the link
     *                            from this region to it
     * @param settings            the replication factor of topics the control channels create
     * @throws IllegalArgumentException if a region name is not valid or a bootstrap is blank
     */
    public static RegionPushLinks start(String region, KafkaClients local, Map<String, KafkaClients> neighbourKafka,
                                        LinkSettings settings) {
        Objects.requireNonNull(settings, "settings");
        // The same validation MirrorMaker's properties get: names, bootstraps, no self-link.
        LinkConfigs.mirrorMakerFor(region, local, neighbourKafka, settings);
        Map<String, KafkaClients> neighbours = new TreeMap<>(neighbourKafka);
        ControlChannels control = ControlChannels.start(region, local, neighbours, settings.replicationFactor());
        List<PushLink> data = neighbours.entrySet().stream()
                .map(n -> PushLink.start(region, n.getKey(), local, n.getValue())).toList();
        LOG.info("region {}: push links to {} started", region, neighbours.keySet());
        return new RegionPushLinks(region, control, data);
    }

    @Override
    public OptionalLong rttMs(String neighbour) {
        return control.rttMs(neighbour);
    }

    @Override
    public void close() {
        data.parallelStream().forEach(PushLink::close);
        control.close();
        LOG.info("region {}: links stopped", region);
    }
}
