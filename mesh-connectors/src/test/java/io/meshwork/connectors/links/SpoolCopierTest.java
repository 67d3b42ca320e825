package io.meshwork.connectors.links;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.connectors.internal.TransformChain;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The push link's copy of a spooled record, through the same link SMTs MirrorMaker runs. */
class SpoolCopierTest {

    private static final String US = "us-east-1";
    private static final String AP = "ap-southeast-1";

    private final TransformChain<SourceRecord> transforms = TransformChain.from(LinkConfigs.linkGuards(AP));
    private final SpoolCopier copier = new SpoolCopier(US, AP, transforms);

    @AfterEach
    void closeTransforms() {
        transforms.close();
    }

    @Test
    void entersTheTargetAndStampsTheSpoolOffsetOnTheArrivalTopicSamePartition() {
        ConsumerRecord<byte[], byte[]> spooled = spooled(2, 417L, "us-east-1", "us-east-1", "16");

        ProducerRecord<byte[], byte[]> copy = copier.copy(spooled);

        assertThat(copy.topic()).isEqualTo("us-east-1.mesh.link.ap-southeast-1");
        assertThat(copy.partition()).isEqualTo(2);
        assertThat(copy.timestamp()).isEqualTo(spooled.timestamp());
        assertThat(copy.key()).isEqualTo(spooled.key());
        assertThat(copy.value()).isEqualTo(spooled.value());
        assertThat(text(copy, "mesh_path")).contains("us-east-1,ap-southeast-1");
        assertThat(text(copy, "mesh_hops")).contains("15");
        assertThat(text(copy, "mesh_link_offset")).contains("417");
        assertThat(text(copy, "mesh_origin")).contains("us-east-1");
        assertThat(text(copy, "mesh_dest")).contains(AP);
        assertThat(text(copy, "ce_id")).contains("evt-1");
        assertThat(copy.headers().headers("mesh_path")).as("one path header, replaced").hasSize(1);
    }

    @Test
    void dropsAnEventThatAlreadyPassedTheTarget() {
        assertThat(copier.copy(spooled(0, 1L, "eu-west-1", "eu-west-1,ap-southeast-1,us-east-1", "13"))).isNull();
    }

    @Test
    void dropsAnEventWhoseHopBudgetIsSpent() {
        assertThat(copier.copy(spooled(0, 1L, "eu-west-1", "eu-west-1,us-east-1", "0"))).isNull();
    }

    @Test
    void passesARecordWithoutRoutingHeadersUnchangedForTheRouterToDeadLetter() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", utf8("plain"));
        ConsumerRecord<byte[], byte[]> plain = new ConsumerRecord<>("mesh.link.ap-southeast-1", 1, 9L, 5L, TimestampType.CREATE_TIME,
                -1, -1, utf8("k"), utf8("v"), headers, Optional.empty());

        ProducerRecord<byte[], byte[]> copy = copier.copy(plain);

        assertThat(copy.partition()).isEqualTo(1);
        assertThat(copy.headers().lastHeader("mesh_path")).isNull();
        assertThat(copy.headers().lastHeader("mesh_link_offset")).as("stamped only on records that enter").isNull();
        assertThat(text(copy, "ce_id")).contains("plain");
    }

    private static ConsumerRecord<byte[], byte[]> spooled(int partition, long offset, String origin, String path, String hops) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", utf8("evt-1"));
        headers.add("mesh_origin", utf8(origin));
        headers.add("mesh_path", utf8(path));
        headers.add("mesh_hops", utf8(hops));
        headers.add("mesh_dest", utf8(AP));
        return new ConsumerRecord<>("mesh.link.ap-southeast-1", partition, offset, 1_764_411_330_000L, TimestampType.CREATE_TIME,
                -1, -1, utf8("orders/1"), utf8("{\"n\":1}"), headers, Optional.empty());
    }

    private static Optional<String> text(ProducerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
