package io.meshwork.router.routing;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Puts a link record on the partition its key hashes to (Kafka's murmur2, as the default
 * partitioner does), on every link topic alike. The router numbers each destination's stream
 * per partition ({@code mesh_seq}) before the record is written, so it must know the
 * partition in advance; records without a key are given the mesh topic as key first.
 */
public final class LinkPartitioner implements StreamPartitioner<String, byte[]> {

    /** The partition of {@code key} among {@code partitions}. */
    public static int partitionFor(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, byte[] value, int numPartitions) {
        return key == null ? Optional.empty() : Optional.of(Set.of(partitionFor(key, numPartitions)));
    }
}
