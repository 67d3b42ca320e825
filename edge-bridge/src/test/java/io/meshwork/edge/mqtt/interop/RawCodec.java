package io.meshwork.edge.mqtt.interop;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The MQTT data representations (section 1.5 of both specifications) {@link RawMqttClient} needs. */
final class RawCodec {

    private RawCodec() {
    }

    static void writeShort(ByteArrayOutputStream out, int value) {
        out.write((value >> 8) & 0xff);
        out.write(value & 0xff);
    }

    static void writeInt(ByteArrayOutputStream out, long value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((int) (value >> shift) & 0xff);
        }
    }

    static void writeVarInt(ByteArrayOutputStream out, int value) {
        int rest = value;
        do {
            int digit = rest % 128;
            rest /= 128;
            out.write(rest > 0 ? digit | 0x80 : digit);
        } while (rest > 0);
    }

    static void writeString(ByteArrayOutputStream out, String text) {
        writeBinary(out, text.getBytes(StandardCharsets.UTF_8));
    }

    static void writeBinary(ByteArrayOutputStream out, byte[] bytes) {
        writeShort(out, bytes.length);
        out.writeBytes(bytes);
    }

    static int readVarInt(DataInputStream in) throws IOException {
        int value = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = in.readUnsignedByte();
            value += (digit & 0x7f) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        return value;
    }

    static String readString(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readUnsignedShort()), StandardCharsets.UTF_8);
    }
}
