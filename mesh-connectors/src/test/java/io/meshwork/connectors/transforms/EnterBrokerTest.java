package io.meshwork.connectors.transforms;

import static io.meshwork.connectors.LinkRecords.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.connectors.LinkGuardCounters;
import io.meshwork.connectors.LinkRecords;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnterBrokerTest {

    private final EnterBroker<SourceRecord> enterUsEast = new EnterBroker<>();
    private final LinkGuardCounters counters = LinkGuardCounters.forBroker("us-east-1");

    EnterBrokerTest() {
        enterUsEast.configure(Map.of(EnterBroker.BROKER_ID_CONFIG, "us-east-1"));
    }

    @AfterEach
    void close() {
        enterUsEast.close();
    }

    @Test
    void appendsTargetBrokerAndSpendsOneHop() {
        SourceRecord entered = enterUsEast.apply(LinkRecords.fromEuWest().build());

        assertThat(text(entered, "mesh_path")).isEqualTo("eu-west-1,us-east-1");
        assertThat(text(entered, "mesh_hops")).isEqualTo("15");
    }

    @Test
    void appendsToALongerPathInOrder() {
        SourceRecord transit = LinkRecords.fromEuWest().routing("ap-southeast-1", "ap-southeast-1,eu-west-1", "15").build();

        SourceRecord entered = enterUsEast.apply(transit);

        assertThat(text(entered, "mesh_path")).isEqualTo("ap-southeast-1,eu-west-1,us-east-1");
        assertThat(text(entered, "mesh_hops")).isEqualTo("14");
    }

    @Test
    void keepsKeyValueTimestampTopicPartitionSourceOffsetAndOtherHeaders() {
        SourceRecord entered = enterUsEast.apply(LinkRecords.fromEuWest().build());

        assertThat(entered.topic()).isEqualTo(LinkRecords.TOPIC);
        assertThat(entered.kafkaPartition()).isEqualTo(LinkRecords.PARTITION);
        assertThat(entered.key()).isSameAs(LinkRecords.KEY);
        assertThat(entered.value()).isSameAs(LinkRecords.VALUE);
        assertThat(entered.timestamp()).isEqualTo(LinkRecords.TIMESTAMP);
        assertThat(entered.sourcePartition()).isEqualTo(LinkRecords.SOURCE_PARTITION);
        assertThat(entered.sourceOffset()).isEqualTo(LinkRecords.SOURCE_OFFSET);
        assertThat(text(entered, "mesh_origin")).isEqualTo("eu-west-1");
        assertThat(text(entered, "mesh_dest")).isEqualTo("us-east-1");
        assertThat(text(entered, "ce_id")).isEqualTo("evt_uuid_88192ab_99");
        assertThat(text(entered, "content-type")).isEqualTo("application/json");
        assertThat(entered.headers().size()).as("plus mesh_link_offset").isEqualTo(LinkRecords.fromEuWest().build().headers().size() + 1);
    }

    @Test
    void stampsTheRecordsOffsetInTheSendersSpool() {
        SourceRecord entered = enterUsEast.apply(LinkRecords.fromEuWest().build());

        assertThat(text(entered, "mesh_link_offset")).isEqualTo("42");
        assertThat(entered.headers().allWithName("mesh_link_offset")).toIterable().hasSize(1);
    }

    @Test
    void writesRoutingHeadersBackAsUtf8Bytes() {
        SourceRecord entered = enterUsEast.apply(LinkRecords.fromEuWest().build());

        for (String key : new String[] {"mesh_path", "mesh_hops"}) {
            Header header = entered.headers().lastWithName(key);
            assertThat(header.value()).as(key).isInstanceOf(byte[].class);
            assertThat(header.schema().type()).as(key).isEqualTo(Schema.Type.BYTES);
            assertThat(entered.headers().allWithName(key)).toIterable().as(key).hasSize(1);
        }
    }

    @Test
    void readsRoutingHeadersGivenAsStrings() {
        SourceRecord stringHeaders = LinkRecords.fromEuWest()
                .rawHeader("mesh_origin", "eu-west-1").rawHeader("mesh_path", "eu-west-1").rawHeader("mesh_hops", "16")
                .build();

        SourceRecord entered = enterUsEast.apply(stringHeaders);

        assertThat(text(entered, "mesh_path")).isEqualTo("eu-west-1,us-east-1");
        assertThat(text(entered, "mesh_hops")).isEqualTo("15");
        assertThat(entered.headers().lastWithName("mesh_hops").value()).isInstanceOf(byte[].class);
    }

    @Test
    void readsAHopBudgetGivenAsANumber() {
        SourceRecord numericHops = LinkRecords.fromEuWest().rawHeader("mesh_hops", 16).build();

        assertThat(text(enterUsEast.apply(numericHops), "mesh_hops")).isEqualTo("15");
    }

    @Test
    void leavesTheIncomingRecordUntouched() {
        SourceRecord incoming = LinkRecords.fromEuWest().build();

        enterUsEast.apply(incoming);

        assertThat(text(incoming, "mesh_path")).isEqualTo("eu-west-1");
        assertThat(text(incoming, "mesh_hops")).isEqualTo("16");
    }

    @Test
    void passesRecordsWithoutRoutingHeadersThroughUnchanged() {
        long unroutedBefore = counters.unrouted();
        SourceRecord plain = LinkRecords.withoutRouting().build();

        assertThat(enterUsEast.apply(plain)).isSameAs(plain);
        assertThat(plain.headers().lastWithName("mesh_path")).isNull();
        assertThat(counters.unrouted()).isEqualTo(unroutedBefore + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "many", "", "1.5", "99999999999"})
    void passesRecordsWithASpentOrUnreadableHopBudgetThroughUnchanged(String hops) {
        SourceRecord record = LinkRecords.fromEuWest().header("mesh_hops", hops).build();

        assertThat(enterUsEast.apply(record)).isSameAs(record);
    }

    @Test
    void passesRecordsWithIncompleteRoutingThroughUnchanged() {
        SourceRecord noOrigin = LinkRecords.fromEuWest().header("mesh_origin", null).build();
        SourceRecord blankPathElement = LinkRecords.fromEuWest().header("mesh_path", "eu-west-1,").build();

        assertThat(enterUsEast.apply(noOrigin)).isSameAs(noOrigin);
        assertThat(enterUsEast.apply(blankPathElement)).isSameAs(blankPathElement);
    }

    @Test
    void countsTheRecordsThatEnter() {
        long enteredBefore = counters.entered();

        enterUsEast.apply(LinkRecords.fromEuWest().build());
        enterUsEast.apply(LinkRecords.fromEuWest().build());

        assertThat(counters.entered()).isEqualTo(enteredBefore + 2);
    }

    @Test
    void passesNullThrough() {
        assertThat(enterUsEast.apply(null)).isNull();
    }
}
