package io.meshwork.edge.mqtt.interop;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MQTT 5 properties (section 2.2.2) as written on the wire, for {@link RawMqttClient}: each
 * identifier maps to its values in order (user properties and subscription identifiers repeat).
 */
final class RawProperties {

    static final int PAYLOAD_FORMAT = 0x01;
    static final int MESSAGE_EXPIRY = 0x02;
    static final int CONTENT_TYPE = 0x03;
    static final int RESPONSE_TOPIC = 0x08;
    static final int CORRELATION_DATA = 0x09;
    static final int SUBSCRIPTION_ID = 0x0B;
    static final int SESSION_EXPIRY = 0x11;
    static final int ASSIGNED_CLIENT_ID = 0x12;
    static final int SERVER_KEEP_ALIVE = 0x13;
    static final int REASON_STRING = 0x1F;
    static final int WILL_DELAY = 0x18;
    static final int RECEIVE_MAXIMUM = 0x21;
    static final int TOPIC_ALIAS_MAXIMUM = 0x22;
    static final int TOPIC_ALIAS = 0x23;
    static final int USER_PROPERTY = 0x26;
    static final int MAXIMUM_PACKET_SIZE = 0x27;

    private final Map<Integer, List<Object>> values = new LinkedHashMap<>();

    RawProperties with(int id, Object value) {
        values.computeIfAbsent(id, k -> new ArrayList<>()).add(value);
        return this;
    }

    RawProperties withUserProperty(String name, String value) {
        return with(USER_PROPERTY, List.of(name, value));
    }

    boolean has(int id) {
        return values.containsKey(id);
    }

    /** The first value of {@code id}, or null. */
    Object first(int id) {
        List<Object> list = values.get(id);
        return list == null ? null : list.get(0);
    }

    List<Object> all(int id) {
        return values.getOrDefault(id, List.of());
    }

    /** User properties as (name, value) pairs in wire order. */
    @SuppressWarnings("unchecked")
    List<List<String>> userProperties() {
        return all(USER_PROPERTY).stream().map(v -> (List<String>) v).toList();
    }

    void write(ByteArrayOutputStream out) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<Integer, List<Object>> entry : values.entrySet()) {
            for (Object value : entry.getValue()) {
                int id = entry.getKey();
                body.write(id);
                switch (kind(id)) {
                    case BYTE -> body.write(((Number) value).intValue());
                    case TWO -> RawCodec.writeShort(body, ((Number) value).intValue());
                    case FOUR -> RawCodec.writeInt(body, ((Number) value).longValue());
                    case VARINT -> RawCodec.writeVarInt(body, ((Number) value).intValue());
                    case STRING -> RawCodec.writeString(body, (String) value);
                    case BINARY -> RawCodec.writeBinary(body, (byte[]) value);
                    case PAIR -> {
                        List<?> pair = (List<?>) value;
                        RawCodec.writeString(body, (String) pair.get(0));
                        RawCodec.writeString(body, (String) pair.get(1));
                    }
                }
            }
        }
        RawCodec.writeVarInt(out, body.size());
        body.writeTo(out);
    }

    static RawProperties read(DataInputStream in) throws IOException {
        RawProperties properties = new RawProperties();
        int length = RawCodec.readVarInt(in);
        byte[] block = in.readNBytes(length);
        DataInputStream props = new DataInputStream(new java.io.ByteArrayInputStream(block));
        while (props.available() > 0) {
            int id = props.readUnsignedByte();
            Object value = switch (kind(id)) {
                case BYTE -> props.readUnsignedByte();
                case TWO -> props.readUnsignedShort();
                case FOUR -> Integer.toUnsignedLong(props.readInt());
                case VARINT -> RawCodec.readVarInt(props);
                case STRING -> RawCodec.readString(props);
                case BINARY -> props.readNBytes(props.readUnsignedShort());
                case PAIR -> List.of(RawCodec.readString(props), RawCodec.readString(props));
            };
            properties.with(id, value);
        }
        return properties;
    }

    private enum Kind { BYTE, TWO, FOUR, VARINT, STRING, BINARY, PAIR }

    private static Kind kind(int id) {
        return switch (id) {
            case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> Kind.BYTE;
            case 0x13, 0x21, 0x22, 0x23 -> Kind.TWO;
            case 0x02, 0x11, 0x18, 0x27 -> Kind.FOUR;
            case 0x0B -> Kind.VARINT;
            case 0x03, 0x08, 0x12, 0x15, 0x1A, 0x1C, 0x1F -> Kind.STRING;
            case 0x09, 0x16 -> Kind.BINARY;
            case 0x26 -> Kind.PAIR;
            default -> throw new IllegalArgumentException("unknown MQTT 5 property identifier 0x" + Integer.toHexString(id));
        };
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        values.forEach((id, list) -> text.append(text.length() > 1 ? ", " : "").append("0x").append(Integer.toHexString(id))
                .append('=').append(list.stream().map(v -> v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v)).toList()));
        return text.append('}').toString();
    }
}
