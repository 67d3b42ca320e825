package io.meshwork.edge.internal.delivery;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.interest.DeliverySlot;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.PartitionCount;
import io.meshwork.edge.EdgeDelivery;

/** Picks the slot an edge in routed delivery mode reads, checked against the region's {@code mesh.deliveries}. */
public final class DeliverySlots {

    private DeliverySlots() {
    }

    /**
     * The configured slot, or the hash of {@code edgeId} over the topic's partitions.
     *
     * @throws IllegalStateException    if the region has no {@code mesh.deliveries}
     * @throws IllegalArgumentException naming {@code edge.delivery.partition} if the configured
     *                                  slot is not a partition of the topic
     */
    public static DeliverySlot resolve(KafkaClients kafka, String region, EdgeDelivery delivery, String edgeId) {
        int partitions = PartitionCount.of(kafka, "edge " + region, MeshKafkaTopics.DELIVERIES);
        if (partitions == 0) {
            throw new IllegalStateException("region " + region + ": edge.delivery.mode=routed needs the topic "
                    + MeshKafkaTopics.DELIVERIES + ", which does not exist on " + kafka.bootstrapServers());
        }
        if (delivery.partition() == EdgeDelivery.HASHED) {
            return DeliverySlot.hashed(edgeId, partitions);
        }
        if (delivery.partition() >= partitions) {
            throw new IllegalArgumentException("invalid edge setting edge.delivery.partition=" + delivery.partition() + ": "
                    + MeshKafkaTopics.DELIVERIES + " of region " + region + " has " + partitions + " partitions (0.."
                    + (partitions - 1) + ")");
        }
        return new DeliverySlot(delivery.partition());
    }
}
