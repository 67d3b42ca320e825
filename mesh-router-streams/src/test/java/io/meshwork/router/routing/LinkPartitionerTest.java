package io.meshwork.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class LinkPartitionerTest {

    @Test
    void placesAKeyWhereKafkasDefaultPartitionerWould() {
        for (String key : new String[] {"orders/ap/checkout", "k-1", "drill-cut-0", "é/ü"}) {
            assertThat(LinkPartitioner.partitionFor(key, 3))
                    .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), 3));
        }
    }

    @Test
    void leavesKeylessRecordsToTheProducer() {
        assertThat(new LinkPartitioner().partitions("mesh.link.eu-west-1", null, new byte[0], 3)).isEmpty();
        assertThat(new LinkPartitioner().partitions("mesh.link.eu-west-1", "k", new byte[0], 3)).hasValue(
                java.util.Set.of(LinkPartitioner.partitionFor("k", 3)));
    }
}
