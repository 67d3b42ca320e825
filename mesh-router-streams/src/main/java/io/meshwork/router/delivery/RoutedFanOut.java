package io.meshwork.router.delivery;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.PartitionCount;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-region fan-out to edges in routed delivery mode (docs/ARCHITECTURE.md, "How a region scales:
 * edges"): the index of their subscriptions, the thread that keeps it current and confirms new
 * subscriptions, and the part of the router's topology that copies events to their slots of
 * {@code mesh.deliveries}.
 *
 * <p>Off when the region has no {@code mesh.deliveries} topic (a cluster set up before it
 * existed): edges in direct mode need none of it.
 */
public final class RoutedFanOut implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RoutedFanOut.class);

    private final String region;
    private final EdgeSlots slots;
    private final EdgeInterestFollower follower;

    private RoutedFanOut(String region, EdgeSlots slots, EdgeInterestFollower follower) {
        this.region = region;
        this.slots = slots;
        this.follower = follower;
    }

    /**
     * Starts following the region's edge interest when the region has {@code mesh.deliveries},
     * and returns once the index is current (see {@link EdgeInterestFollower#start}).
     *
     * @return the fan-out, or an inactive one when the topic does not exist
     */
    public static RoutedFanOut start(KafkaClients kafka, String region, Duration timeout)
            throws TimeoutException, InterruptedException {
        if (PartitionCount.of(kafka, "router " + region, MeshKafkaTopics.DELIVERIES) == 0) {
            LOG.info("region {}: no {} topic, so no routed delivery: edges here must read {} directly", region,
                    MeshKafkaTopics.DELIVERIES, MeshKafkaTopics.EVENTS);
            return new RoutedFanOut(region, null, null);
        }
        EdgeSlots slots = new EdgeSlots();
        EdgeInterestFollower follower = new EdgeInterestFollower(kafka, region, slots);
        try {
            follower.start(timeout);
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            follower.close();
            throw e;
        }
        return new RoutedFanOut(region, slots, follower);
    }

    /** Whether the router copies events to edges in routed mode. */
    public boolean isActive() {
        return slots != null;
    }

    /**
     * Adds the copying to {@code topology}: a processor under {@code eventsSource} and its sink.
     * Call it before adding any other child of that source (see {@link FanOutProcessor}).
     */
    public void addTo(Topology topology, String eventsSource) {
        if (!isActive()) {
            return;
        }
        topology.addProcessor("fan-out-local", () -> new FanOutProcessor(region, slots), eventsSource);
        topology.addSink(FanOutProcessor.SINK, MeshKafkaTopics.DELIVERIES, new StringSerializer(), SlotCopy.SERIALIZER,
                SlotCopy.PARTITIONER, "fan-out-local");
    }

    @Override
    public void close() throws InterruptedException {
        if (follower != null) {
            follower.close();
        }
    }
}
