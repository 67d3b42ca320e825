package io.meshwork.controlplane.internal.feeds;

import io.meshwork.core.interest.ControlCodec;
import io.meshwork.core.interest.LinkState;
import io.meshwork.core.kafka.CompactedFollower;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest link state of every region, as the routers flood them: read from the compacted
 * {@code mesh.routes} of each region the control plane reaches (any one holds them all; reading
 * every one keeps the view alive while a region is cut off). Feeds {@code /v1/topology}: link
 * state as the routers see it, measured RTTs and each router's next hops.
 */
public final class LinkStates implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LinkStates.class);

    private final Map<String, LinkState> newest = new ConcurrentHashMap<>();
    private final List<CompactedFollower> readers;

    public LinkStates(Map<String, KafkaClients> regionKafka) {
        this.readers = regionKafka.entrySet().stream().map(e -> new CompactedFollower(e.getKey(), MeshKafkaTopics.ROUTES,
                "control-plane-link-states-" + e.getKey(), e.getValue(), record -> {
                    if (record.key() != null && record.key().startsWith(LinkState.KEY_PREFIX) && record.value() != null) {
                        try {
                            offer(ControlCodec.decode(record.value(), LinkState.class));
                        } catch (IllegalArgumentException ex) {
                            LOG.debug("region {}: ignoring unreadable link state {}: {}", e.getKey(), record.key(), ex.getMessage());
                        }
                    }
                })).toList();
        readers.forEach(CompactedFollower::start);
    }

    /** The newest link state {@code region}'s router flooded, if any arrived. */
    public Optional<LinkState> of(String region) {
        return Optional.ofNullable(newest.get(region));
    }

    private void offer(LinkState state) {
        newest.merge(state.origin(), state, (known, incoming) -> incoming.seq() > known.seq() ? incoming : known);
    }

    @Override
    public void close() {
        readers.forEach(CompactedFollower::close);
    }
}
