package io.meshwork.router.routing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * An arrival waiting in the order buffer for an earlier event of its origin, as stored bytes:
 * the record (key, value, timestamp, headers), its number in its stream ({@code mesh_seq}),
 * when it started waiting, and whether to deliver it or only let its number pass (a duplicate).
 */
record HeldRecord(Record<String, byte[]> record, long number, long heldSinceMs, boolean deliver) {

    byte[] encode() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(heldSinceMs);
            out.writeBoolean(deliver);
            out.writeLong(number);
            out.writeLong(record.timestamp());
            writeNullable(out, record.key() == null ? null : record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            writeNullable(out, record.value());
            Header[] headers = record.headers().toArray();
            out.writeInt(headers.length);
            for (Header header : headers) {
                out.writeUTF(header.key());
                writeNullable(out, header.value());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HeldRecord decode(byte[] stored) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
            long heldSince = in.readLong();
            boolean deliver = in.readBoolean();
            long number = in.readLong();
            long timestamp = in.readLong();
            byte[] key = readNullable(in);
            byte[] value = readNullable(in);
            RecordHeaders headers = new RecordHeaders();
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                headers.add(in.readUTF(), readNullable(in));
            }
            Record<String, byte[]> record = new Record<>(key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8),
                    value, timestamp, headers);
            return new HeldRecord(record, number, heldSince, deliver);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeNullable(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    private static byte[] readNullable(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
