package io.meshwork.core.interest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.meshwork.schema.control.v1.ControlProto;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one mapping between {@link ControlRecord}s and the bytes on {@code mesh.routes}: the
 * protobuf {@code meshwork.control.v1.ControlRecord} (schema/, {@code control.proto}).
 *
 * <p>Writes version {@value #VERSION}. Reads it, any later version whose kind it knows (protobuf
 * fields are only ever added), and version 1, the JSON of the releases before (see
 * {@link LegacyJsonControlDecoder}), so a router reads what the routers of the previous release
 * still write during a rolling upgrade. The two are told apart by their first byte: a version 1
 * record is a JSON object, so it starts with <code>'{'</code>, which as a protobuf tag would be
 * field 15 as a group, a wire type proto3 never writes.
 */
public final class ControlCodec {

    /** The control protocol version this release writes. */
    public static final int VERSION = 2;

    private ControlCodec() {
    }

    /** The wire form of {@code record}, at version {@value #VERSION}. */
    public static byte[] encode(ControlRecord record) {
        ControlProto.ControlRecord.Builder wire = ControlProto.ControlRecord.newBuilder().setVersion(VERSION);
        if (record instanceof RouteAdvert advert) {
            wire.setAdvert(ControlProto.RouteAdvert.newBuilder()
                    .setOrigin(advert.origin()).setPattern(advert.pattern()).setSelector(advert.selector())
                    .setSeq(advert.seq()).setActive(advert.active()).setAdvertisedAtMs(advert.advertisedAtMs()));
        } else if (record instanceof RouteAck ack) {
            wire.setAck(ControlProto.RouteAck.newBuilder()
                    .setAcker(ack.acker()).setAdvertKey(ack.advertKey()).setOrigin(ack.origin())
                    .setSeq(ack.seq()).setActive(ack.active()));
        } else if (record instanceof RouterBeat beat) {
            wire.setBeat(ControlProto.RouterBeat.newBuilder()
                    .setOrigin(beat.origin()).setInstance(beat.instance()).setSentAtMs(beat.sentAtMs()));
        } else {
            wire.setLinkState(linkState((LinkState) record));
        }
        return wire.build().toByteArray();
    }

    /**
     * Reads one record of either version.
     *
     * @throws InvalidControlRecordException if the bytes do not parse, carry a kind this release
     *                                       does not know, or lack a required field (named)
     */
    public static ControlRecord decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidControlRecordException("value", "control record is empty");
        }
        if (isVersion1(bytes)) {
            return LegacyJsonControlDecoder.decode(bytes);
        }
        ControlProto.ControlRecord wire;
        try {
            wire = ControlProto.ControlRecord.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidControlRecordException("value", "not a control record (neither protobuf nor JSON): " + e.getMessage(), e);
        }
        if (wire.getVersion() == 0) {
            throw new InvalidControlRecordException("version", "control record carries no version");
        }
        return switch (wire.getKindCase()) {
            case ADVERT -> advert(wire.getAdvert());
            case ACK -> ack(wire.getAck());
            case LINK_STATE -> linkState(wire.getLinkState());
            case BEAT -> new RouterBeat(required("beat.origin", wire.getBeat().getOrigin()), wire.getBeat().getInstance(),
                    wire.getBeat().getSentAtMs());
            case KIND_NOT_SET -> throw unknownKind(wire);
        };
    }

    /**
     * Whether {@code bytes} are a version 1 (JSON) record, which a router re-issues in the
     * current version so that the legacy decoder can go.
     */
    public static boolean isVersion1(byte[] bytes) {
        return bytes != null && bytes.length > 0 && bytes[0] == '{';
    }

    /**
     * Reads one record that must be of {@code kind} (e.g. from a store that holds only adverts).
     *
     * @throws InvalidControlRecordException if it is not a readable record of that kind
     */
    public static <T extends ControlRecord> T decode(byte[] bytes, Class<T> kind) {
        ControlRecord record = decode(bytes);
        if (!kind.isInstance(record)) {
            throw new InvalidControlRecordException("kind", "expected a " + kind.getSimpleName() + " but found a "
                    + record.getClass().getSimpleName());
        }
        return kind.cast(record);
    }

    private static InvalidControlRecordException unknownKind(ControlProto.ControlRecord wire) {
        Set<Integer> fields = wire.getUnknownFields().asMap().keySet();
        if (fields.isEmpty()) {
            return new InvalidControlRecordException("kind", "control record (version " + wire.getVersion() + ") carries no kind");
        }
        return new InvalidControlRecordException("kind", "control record of unknown kind (field " + fields.iterator().next()
                + ", written by control protocol version " + wire.getVersion() + "; version " + VERSION
                + " knows advert, ack, link_state and beat)");
    }

    private static RouteAdvert advert(ControlProto.RouteAdvert wire) {
        return new RouteAdvert(required("advert.origin", wire.getOrigin()), required("advert.pattern", wire.getPattern()),
                wire.getSelector(), wire.getSeq(), wire.getActive(), wire.getAdvertisedAtMs());
    }

    private static RouteAck ack(ControlProto.RouteAck wire) {
        return new RouteAck(required("ack.acker", wire.getAcker()), required("ack.advert_key", wire.getAdvertKey()),
                required("ack.origin", wire.getOrigin()), wire.getSeq(), wire.getActive());
    }

    private static LinkState linkState(ControlProto.LinkState wire) {
        Map<String, Map<Integer, Long>> received = new TreeMap<>();
        wire.getReceivedMap().forEach((neighbour, progress) -> received.put(neighbour, progress.getOffsetsMap()));
        return new LinkState(required("link_state.origin", wire.getOrigin()), wire.getSeq(), wire.getSentAtMs(),
                wire.getLinksMap(), wire.getRttMsMap(), received, wire.getNextHopsMap());
    }

    private static ControlProto.LinkState.Builder linkState(LinkState state) {
        ControlProto.LinkState.Builder wire = ControlProto.LinkState.newBuilder()
                .setOrigin(state.origin()).setSeq(state.seq()).setSentAtMs(state.sentAtMs())
                .putAllLinks(state.links()).putAllRttMs(state.rttMs()).putAllNextHops(state.nextHops());
        state.received().forEach((neighbour, offsets) ->
                wire.putReceived(neighbour, ControlProto.SpoolProgress.newBuilder().putAllOffsets(offsets).build()));
        return wire;
    }

    private static String required(String field, String value) {
        if (value.isEmpty()) {
            throw new InvalidControlRecordException(field, "control record lacks " + field);
        }
        return value;
    }
}
