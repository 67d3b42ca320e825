package io.meshwork.connectors.links;

import io.meshwork.core.kafka.KafkaClients;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The control channels into one region, one per neighbour ({@link ControlChannel}), and the relay
 * of retained messages ({@link RetainedRelay}): they run the same whichever link carries the data.
 */
final class ControlChannels implements AutoCloseable {

    /** How often each control channel measures its link's round-trip time. */
    static final Duration RTT_PROBE_INTERVAL = Duration.ofSeconds(1);

    private final Map<String, ControlChannel> channels;
    private final RetainedRelay retained;

    private ControlChannels(Map<String, ControlChannel> channels, RetainedRelay retained) {
        this.channels = channels;
        this.retained = retained;
    }

    /**
     * @param neighbourKafka how {@code region} reaches each neighbour's cluster (across the link)
     */
    static ControlChannels start(String region, KafkaClients local, Map<String, KafkaClients> neighbourKafka,
                                 int replicationFactor) {
        Map<String, ControlChannel> channels = new TreeMap<>();
        neighbourKafka.forEach((neighbour, kafka) -> channels.put(neighbour,
                ControlChannel.start(neighbour, region, kafka, local, replicationFactor, RTT_PROBE_INTERVAL)));
        // Retained messages flood like control records, on connections of their own (RetainedRelay).
        return new ControlChannels(channels, RetainedRelay.start(region, local, neighbourKafka));
    }

    /** The round-trip time of the link from {@code neighbour} as last measured, if known. */
    OptionalLong rttMs(String neighbour) {
        ControlChannel channel = channels.get(neighbour);
        return channel == null ? OptionalLong.empty() : channel.rttMs();
    }

    @Override
    public void close() {
        // Each channel waits for its own thread; closing them side by side keeps a stop short.
        channels.values().parallelStream().forEach(ControlChannel::close);
        retained.close();
    }
}
