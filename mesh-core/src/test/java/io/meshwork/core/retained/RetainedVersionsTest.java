package io.meshwork.core.retained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RetainedVersionsTest {

    private static final String US = "us-east-1";
    private static final String AP = "ap-southeast-1";

    @Test
    void laterTimeWinsThenGreaterOriginThenLaterSequence() {
        assertThat(new RetainedVersion(2, US, 0).supersedes(new RetainedVersion(1, US, 9))).isTrue();
        assertThat(new RetainedVersion(5, US, 0).supersedes(new RetainedVersion(5, AP, 9))).as("same ms: us > ap by name").isTrue();
        assertThat(new RetainedVersion(5, AP, 9).supersedes(new RetainedVersion(5, US, 0))).isFalse();
        assertThat(new RetainedVersion(5, US, 4).supersedes(new RetainedVersion(5, US, 3))).isTrue();
        assertThat(new RetainedVersion(5, US, 3).supersedes(new RetainedVersion(5, US, 3))).as("the same record again").isFalse();
        assertThat(new RetainedVersion(0, US, 0).supersedes(null)).isTrue();
    }

    @Test
    void everyArrivalOrderEndsWithTheSameWinnerAndALateOlderWriteCannotResurrectADeletion() {
        List<RetainedVersion> writes = List.of(new RetainedVersion(10, US, 1), new RetainedVersion(12, AP, 4),
                new RetainedVersion(12, US, 2), new RetainedVersion(11, AP, 3));
        RetainedVersion newest = new RetainedVersion(12, US, 2);
        Random random = new Random(42);
        for (int run = 0; run < 50; run++) {
            List<RetainedVersion> order = new ArrayList<>(writes);
            Collections.shuffle(order, random);
            RetainedVersions versions = new RetainedVersions();
            RetainedVersion last = null;
            for (RetainedVersion version : order) {
                if (versions.advance("t", version)) {
                    last = version;
                }
            }
            assertThat(last).as("winner for order %s", order).isEqualTo(newest);
        }
        RetainedVersions versions = new RetainedVersions();
        assertThat(versions.advance("t", new RetainedVersion(20, AP, 7))).as("a deletion wins like any record").isTrue();
        assertThat(versions.advance("t", new RetainedVersion(19, US, 8))).as("older write arriving late").isFalse();
    }

    @Test
    void aRecordWrittenByAnEdgeHasItsTimestampAndOffsetAsVersionARelayedCopyCarriesTheOrigins() {
        ConsumerRecord<String, byte[]> own = record(RetainedRecords.key(US, "a/b|c"), 1_000L, 7, new RecordHeaders(), bytes("v"));
        RetainedVersion version = RetainedRecords.version(own);
        assertThat(version).isEqualTo(new RetainedVersion(1_000L, US, 7));
        assertThat(RetainedRecords.parseKey(own.key())).isEqualTo(new RetainedRecords.Key(US, "a/b|c"));

        ProducerRecord<String, byte[]> relayed = RetainedRecords.relayed(own, version);
        ConsumerRecord<String, byte[]> copy = record(relayed.key(), 5_000L, 2, new RecordHeaders(relayed.headers().toArray()), relayed.value());
        assertThat(RetainedRecords.version(copy)).as("the origin's version, not the copy's").isEqualTo(version);
        assertThat(RetainedRecords.deletes(copy)).isFalse();
        ConsumerRecord<String, byte[]> deletion = record(RetainedRecords.key(AP, "a/b"), 1L, 0, new RecordHeaders(), new byte[0]);
        assertThat(RetainedRecords.deletes(deletion)).isTrue();
        assertThat(RetainedRecords.relayed(deletion, RetainedRecords.version(deletion)).value()).as("never a Kafka tombstone").isEmpty();
    }

    @Test
    void malformedKeysAndHeadersAreNamed() {
        assertThatThrownBy(() -> RetainedRecords.parseKey("no-separator")).hasMessageContaining("mesh.retained")
                .hasMessageContaining("'no-separator'");
        RecordHeaders headers = new RecordHeaders();
        headers.add(RetainedRecords.AT, bytes("soon"));
        headers.add(RetainedRecords.SEQ, bytes("1"));
        assertThatThrownBy(() -> RetainedRecords.version(record(RetainedRecords.key(US, "t"), 1L, 0, headers, bytes("v"))))
                .hasMessageContaining("mesh_retained_at").hasMessageContaining("'soon'");
        assertThatThrownBy(() -> RetainedRecords.key("bad|region", "t")).hasMessageContaining("bad|region");
    }

    private static ConsumerRecord<String, byte[]> record(String key, long timestamp, long offset, RecordHeaders headers, byte[] value) {
        return new ConsumerRecord<>("mesh.retained", 0, offset, timestamp, TimestampType.LOG_APPEND_TIME, -1, -1, key, value, headers,
                Optional.empty());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
