package io.meshwork.core.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.meshwork.schema.control.v1.ControlProto;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlCodecTest {

    /**
     * Control protocol version 1, byte for byte as the release before the protobuf record wrote
     * it (RouteAdvert/RouteAck/LinkState.encode() at commit 85298f3).
     */
    static final String V1_ADVERT = "{\"kind\":\"advert\",\"origin\":\"ap-southeast-1\",\"pattern\":\"orders/#\","
            + "\"selector\":\"amountCents > 10000\",\"seq\":5,\"active\":true,\"advertisedAtMs\":1700000000000}";
    static final String V1_ACK = "{\"kind\":\"ack\",\"acker\":\"us-east-1\",\"advertKey\":\"ap-southeast-1|0|orders/#\","
            + "\"origin\":\"ap-southeast-1\",\"seq\":5,\"active\":true}";
    static final String V1_LINK_STATE = "{\"kind\":\"linkstate\",\"origin\":\"ap-southeast-1\",\"seq\":42,\"sentAtMs\":1000,"
            + "\"links\":{\"eu-west-1\":true,\"us-east-1\":false},\"rttMs\":{\"eu-west-1\":121},"
            + "\"received\":{\"eu-west-1\":{\"0\":17,\"2\":99}},\"nextHops\":{\"us-east-1\":\"eu-west-1\"}}";

    private static final LinkState STATE = new LinkState("ap-southeast-1", 42, 1_000, Map.of("us-east-1", false, "eu-west-1", true),
            Map.of("eu-west-1", 121L), Map.of("eu-west-1", Map.of(0, 17L, 2, 99L)), Map.of("us-east-1", "eu-west-1"));
    private static final RouteAdvert ADVERT = new RouteAdvert("ap-southeast-1", "orders/#", "amountCents > 10000", 5, true,
            1_700_000_000_000L);
    private static final RouteAck ACK = RouteAck.of("us-east-1", new RouteAdvert("ap-southeast-1", "orders/#", "", 5, true, 0));

    @Test
    void roundTripsEveryKind() {
        RouteAdvert withdrawal = new RouteAdvert("us-east-1", "a/+/b", "", 7, false, 3);
        LinkState bare = new LinkState("eu-west-1", 1, 0, Map.of());
        RouterBeat beat = new RouterBeat("us-east-1", "host/42/abcd", 1_700_000_000_123L);

        for (ControlRecord record : new ControlRecord[] {ADVERT, withdrawal, ACK, STATE, bare, beat}) {
            assertThat(ControlCodec.decode(ControlCodec.encode(record))).isEqualTo(record);
        }
    }

    @Test
    void writesTheCurrentVersionAsProtobuf() throws Exception {
        ControlProto.ControlRecord wire = ControlProto.ControlRecord.parseFrom(ControlCodec.encode(STATE));

        assertThat(wire.getVersion()).isEqualTo(ControlCodec.VERSION);
        assertThat(wire.getKindCase()).isEqualTo(ControlProto.ControlRecord.KindCase.LINK_STATE);
        assertThat(ControlCodec.isVersion1(ControlCodec.encode(ADVERT))).isFalse();
    }

    @Test
    void readsEveryKindOfTheVersion1Json() {
        assertThat(ControlCodec.decode(utf8(V1_ADVERT))).isEqualTo(ADVERT);
        assertThat(ControlCodec.decode(utf8(V1_ACK))).isEqualTo(ACK);
        assertThat(ControlCodec.decode(utf8(V1_LINK_STATE))).isEqualTo(STATE);
        assertThat(ControlCodec.isVersion1(utf8(V1_ADVERT))).isTrue();
    }

    @Test
    void readsVersion1RecordsWithTheDefaultsOfTheirTime() {
        byte[] linkStateWithoutMeasurements = utf8("{\"kind\":\"linkstate\",\"origin\":\"us-east-1\",\"seq\":3,\"sentAtMs\":5,"
                + "\"links\":{\"eu-west-1\":true}}");
        byte[] advertWithoutKind = utf8("{\"origin\":\"us-east-1\",\"pattern\":\"a/#\",\"selector\":\"\",\"seq\":2,\"active\":true}");

        LinkState state = ControlCodec.decode(linkStateWithoutMeasurements, LinkState.class);
        assertThat(state.links()).containsEntry("eu-west-1", true);
        assertThat(state.rttMs()).isEmpty();
        assertThat(state.received()).isEmpty();
        assertThat(ControlCodec.decode(advertWithoutKind)).isEqualTo(new RouteAdvert("us-east-1", "a/#", "", 2, true, 0));
    }

    @Test
    void refusesAKindOfALaterReleaseNamingTheField() {
        byte[] future = ControlProto.ControlRecord.newBuilder().setVersion(3)
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(9, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("something new")).build()).build())
                .build().toByteArray();

        assertThatThrownBy(() -> ControlCodec.decode(future)).isInstanceOfSatisfying(InvalidControlRecordException.class, e -> {
            assertThat(e.field()).isEqualTo("kind");
            assertThat(e.getMessage()).contains("unknown kind (field 9", "version 3");
        });
        assertThatThrownBy(() -> ControlCodec.decode(utf8("{\"kind\":\"hologram\"}")))
                .isInstanceOfSatisfying(InvalidControlRecordException.class, e -> {
                    assertThat(e.field()).isEqualTo("kind");
                    assertThat(e.getMessage()).contains("'hologram'");
                });
    }

    @Test
    void refusesGarbageEmptinessAndRecordsWithoutVersionOrRequiredFields() {
        assertField(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}, "value");
        assertField(new byte[0], "value");
        assertField(utf8("{not json"), "value");
        assertField(ControlProto.ControlRecord.newBuilder().setAdvert(ControlProto.RouteAdvert.newBuilder()
                .setOrigin("us-east-1").setPattern("a/#")).build().toByteArray(), "version");
        assertField(ControlProto.ControlRecord.newBuilder().setVersion(2).build().toByteArray(), "kind");
        assertField(ControlProto.ControlRecord.newBuilder().setVersion(2).setAdvert(ControlProto.RouteAdvert.newBuilder()
                .setOrigin("us-east-1")).build().toByteArray(), "advert.pattern");
        assertField(utf8("{\"kind\":\"advert\",\"origin\":\"us-east-1\"}"), "advert.pattern");
    }

    @Test
    void typedDecodeRefusesAnotherKind() {
        assertThatThrownBy(() -> ControlCodec.decode(ControlCodec.encode(ACK), RouteAdvert.class))
                .isInstanceOf(InvalidControlRecordException.class).hasMessageContaining("expected a RouteAdvert but found a RouteAck");
    }

    @Test
    void aHigherSequenceNumberSupersedesUnderEveryKind() {
        RouteAdvert older = new RouteAdvert("ap-southeast-1", "orders/#", "amountCents > 10000", 4, false, 0);

        assertThat(ADVERT.supersedes(older)).isTrue();
        assertThat(older.supersedes(ADVERT)).isFalse();
        assertThat(ADVERT.supersedes(ADVERT)).isFalse();
        assertThat(STATE.supersedes(null)).isTrue();
        assertThat(ACK.issuer()).isEqualTo("us-east-1");
        assertThat(STATE.issuer()).isEqualTo("ap-southeast-1");
    }

    private static void assertField(byte[] bytes, String field) {
        assertThatThrownBy(() -> ControlCodec.decode(bytes)).isInstanceOfSatisfying(InvalidControlRecordException.class,
                e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
