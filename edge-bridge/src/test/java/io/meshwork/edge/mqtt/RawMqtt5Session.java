package io.meshwork.edge.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * An MQTT 5 session written by hand, for the protocol limits a client library enforces itself
 * (topic alias range, packet size) or hides (when PUBACKs go out, keep alive): CONNECT and PUBLISH
 * with properties of the test's choosing, packets read one by one. {@link RawMqtt5} holds the
 * simpler exchanges; this one keeps the session's packets to the test.
 */
final class RawMqtt5Session implements AutoCloseable {

    static final int PUBLISH = 0x30;
    static final int PUBACK = 0x40;
    static final int SUBACK = 0x90;
    static final int DISCONNECT = 0xE0;

    /** A packet: the type (high nibble of the first byte), the flags and the body. */
    record Packet(int type, int flags, byte[] body) {
        int u8(int at) {
            return body[at] & 0xff;
        }

        int u16(int at) {
            return u8(at) << 8 | u8(at + 1);
        }

        /** For a PUBLISH: the topic name. */
        String topic() {
            return new String(body, 2, u16(0), StandardCharsets.UTF_8);
        }

        /** For a QoS 1 PUBLISH: the packet id. */
        int packetId() {
            return u16(2 + u16(0));
        }

        /** For a QoS 1 PUBLISH: the payload, as text. */
        String payload() {
            int at = 2 + u16(0) + 2;
            int length = 0;
            int multiplier = 1;
            int digit;
            do {
                digit = u8(at++);
                length += (digit & 0x7f) * multiplier;
                multiplier *= 128;
            } while ((digit & 0x80) != 0);
            at += length;
            return new String(body, at, body.length - at, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    /** The CONNACK's body. */
    final Packet connack;

    /** Connects with a clean start, the keep alive and the CONNECT properties given (encoded, without their length). */
    RawMqtt5Session(int port, String clientId, int keepAliveSeconds, byte[] connectProperties) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        ByteArrayOutputStream connect = new ByteArrayOutputStream();
        writeString(connect, "MQTT");
        connect.write(5);
        connect.write(0x02);
        connect.write(keepAliveSeconds >> 8);
        connect.write(keepAliveSeconds & 0xff);
        writeVarInt(connect, connectProperties.length);
        connect.write(connectProperties);
        writeString(connect, clientId);
        send(0x10, connect.toByteArray());
        connack = read();
        if (connack.type() != 0x20) {
            throw new IOException("expected CONNACK, got packet type 0x" + Integer.toHexString(connack.type()));
        }
    }

    /** A two-byte integer property (MQTT 5 section 2.2.2.2), e.g. receive maximum 0x21, topic alias 0x23. */
    static byte[] u16Property(int id, int value) {
        return new byte[] {(byte) id, (byte) (value >> 8), (byte) value};
    }

    /** Subscribes to one filter at QoS 1 and returns the SUBACK's reason code. */
    int subscribe(String filter) throws IOException {
        ByteArrayOutputStream subscribe = new ByteArrayOutputStream();
        subscribe.write(0);
        subscribe.write(1);
        subscribe.write(0);
        writeString(subscribe, filter);
        subscribe.write(1);
        send(0x82, subscribe.toByteArray());
        Packet suback = next(SUBACK);
        return suback.u8(2 + 1 + suback.u8(2));
    }

    /** Sends a PUBLISH (QoS 0, or 1 with packet id 1 or more) with the properties given. */
    void publish(int qos, int packetId, String topic, byte[] properties, byte[] payload) throws IOException {
        ByteArrayOutputStream publish = new ByteArrayOutputStream();
        writeString(publish, topic);
        if (qos > 0) {
            publish.write(packetId >> 8);
            publish.write(packetId & 0xff);
        }
        writeVarInt(publish, properties.length);
        publish.write(properties);
        publish.write(payload);
        send(PUBLISH | qos << 1, publish.toByteArray());
    }

    void puback(int packetId) throws IOException {
        send(PUBACK, new byte[] {(byte) (packetId >> 8), (byte) packetId});
    }

    /** Reads packets until one of the type given; a DISCONNECT or the end of the connection fails the wait. */
    Packet next(int type) throws IOException {
        while (true) {
            Packet packet = read();
            if (packet.type() == type) {
                return packet;
            }
            if (packet.type() == DISCONNECT) {
                throw new IOException("server sent DISCONNECT 0x" + Integer.toHexString(packet.body().length > 0 ? packet.u8(0) : 0));
            }
        }
    }

    /**
     * The next packet if one arrives within {@code millis}, else {@code null}: for what must
     * not arrive yet (the connection is unusable after a timeout that cut a packet, so only wait
     * where nothing may come).
     */
    Packet poll(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return read();
        } catch (SocketTimeoutException nothing) {
            return null;
        } finally {
            socket.setSoTimeout(20_000);
        }
    }

    /** Reads until the server's DISCONNECT and returns its reason code, or -1 if it closed without one. */
    int awaitDisconnectReason() throws IOException {
        try {
            while (true) {
                Packet packet = read();
                if (packet.type() == DISCONNECT) {
                    return packet.body().length > 0 ? packet.u8(0) : 0;
                }
            }
        } catch (EOFException | java.net.SocketException closed) {
            return -1;
        }
    }

    private Packet read() throws IOException {
        int header = in.readUnsignedByte();
        int length = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = in.readUnsignedByte();
            length += (digit & 0x7f) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(header & 0xF0, header & 0x0F, body);
    }

    /** Writes a packet; a server that closes the connection part-way (a packet too large) ends the write quietly. */
    void send(int header, byte[] body) throws IOException {
        ByteArrayOutputStream fixed = new ByteArrayOutputStream();
        fixed.write(header);
        writeVarInt(fixed, body.length);
        OutputStream out = socket.getOutputStream();
        out.write(fixed.toByteArray());
        try {
            out.write(body);
            out.flush();
        } catch (java.net.SocketException closedByServer) {
            // The server's answer, if any, is read next.
        }
    }

    private static void writeVarInt(ByteArrayOutputStream out, int value) {
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    private static void writeString(ByteArrayOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xff);
        out.write(bytes);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
