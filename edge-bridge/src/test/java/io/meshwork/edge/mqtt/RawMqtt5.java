package io.meshwork.edge.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * MQTT 5 packets written by hand, for what a well-behaved client library refuses to send (Paho
 * quietly clears the retain flag once the server says it has no retained messages).
 */
final class RawMqtt5 implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private volatile int disconnectReason = -1;

    /** Connects with a clean start and reads the CONNACK. */
    RawMqtt5(int port, String clientId) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        ByteArrayOutputStream connect = new ByteArrayOutputStream();
        writeString(connect, "MQTT");
        connect.write(5);         // protocol version
        connect.write(0x02);      // clean start
        connect.write(0);
        connect.write(60);        // keep alive
        connect.write(0);         // no properties
        writeString(connect, clientId);
        send(0x10, connect.toByteArray());
        int[] connack = readPacket();
        if (connack[0] != 0x20) {
            throw new IOException("expected CONNACK, got packet type 0x" + Integer.toHexString(connack[0]));
        }
    }

    /** Sends a QoS 0 PUBLISH with the retain flag set. */
    void publishRetained(String topic, String payload) throws IOException {
        ByteArrayOutputStream publish = new ByteArrayOutputStream();
        writeString(publish, topic);
        publish.write(0);         // no properties
        publish.write(payload.getBytes(StandardCharsets.UTF_8));
        send(0x31, publish.toByteArray());
    }

    /**
     * Sends a SUBSCRIBE with one filter (QoS 1) and returns the answer: {@code "SUBACK <code>"}
     * or {@code "DISCONNECT <code>"} (reason codes in hex), or {@code "CLOSED"}.
     */
    String subscribe(String filter) throws IOException {
        ByteArrayOutputStream subscribe = new ByteArrayOutputStream();
        subscribe.write(0);
        subscribe.write(1);       // packet id
        subscribe.write(0);       // no properties
        writeString(subscribe, filter);
        subscribe.write(1);       // QoS 1
        send(0x82, subscribe.toByteArray());
        try {
            while (true) {
                int[] packet = readPacket();
                if (packet[0] == 0x90) {
                    int propertiesLength = packet[3]; // short in this exchange: one length byte
                    return "SUBACK " + Integer.toHexString(packet[4 + propertiesLength]);
                }
                if (packet[0] == 0xE0) {
                    return "DISCONNECT " + Integer.toHexString(packet.length > 1 ? packet[1] : 0);
                }
            }
        } catch (EOFException closed) {
            return "CLOSED";
        }
    }

    /**
     * Reads packets until a DISCONNECT and returns its reason code, or -1 if the server closed
     * the connection without one.
     */
    int awaitDisconnectReason() throws IOException {
        try {
            while (true) {
                int[] packet = readPacket();
                if (packet[0] == 0xE0) {
                    return packet.length > 1 ? packet[1] : 0;
                }
            }
        } catch (EOFException closed) {
            return -1;
        }
    }

    /** An acknowledgement (PUBREC, PUBCOMP, ...): its packet type, packet identifier and reason code, and when it arrived. */
    record Ack(int type, int packetId, int reasonCode, String reasonString, long receivedNanos) {
    }

    /**
     * Sends a QoS 2 PUBLISH with no properties.
     *
     * @param dup whether to set the DUP flag, as a client retransmitting it would
     */
    void publishQos2(String topic, String payload, int packetId, boolean dup) throws IOException {
        ByteArrayOutputStream publish = new ByteArrayOutputStream();
        writeString(publish, topic);
        publish.write(packetId >> 8);
        publish.write(packetId & 0xff);
        publish.write(0);         // no properties
        publish.write(payload.getBytes(StandardCharsets.UTF_8));
        send(0x34 | (dup ? 0x08 : 0), publish.toByteArray());
    }

    /** The reason code of the DISCONNECT {@link #awaitAck} met, or -1. */
    int disconnectReason() {
        return disconnectReason;
    }

    /** Sends a PUBREL (reason 0x00, no properties). */
    void pubrel(int packetId) throws IOException {
        send(0x62, new byte[] {(byte) (packetId >> 8), (byte) (packetId & 0xff)});
    }

    /**
     * Reads packets until one of {@code type} (0x50 PUBREC, 0x70 PUBCOMP, ...) and returns it;
     * {@code null} if the server sent a DISCONNECT or closed the connection first.
     */
    Ack awaitAck(int type) throws IOException {
        try {
            while (true) {
                int[] packet = readPacket();
                if (packet[0] == type) {
                    // The reason code may be left out when it is 0x00 (MQTT 5 §3.5.2.1).
                    int reason = packet.length > 3 ? packet[3] : 0;
                    return new Ack(type, packet[1] << 8 | packet[2], reason, reasonString(packet), System.nanoTime());
                }
                if (packet[0] == 0xE0) {
                    disconnectReason = packet.length > 1 ? packet[1] : 0;
                    return null;
                }
            }
        } catch (EOFException closed) {
            return null;
        }
    }

    /**
     * Subscribes to {@code filter} at QoS 0 with packet identifier {@code packetId} and returns the
     * SUBACK's reason code, or -1 if the server disconnected.
     */
    int subscribeQos0(String filter, int packetId) throws IOException {
        ByteArrayOutputStream subscribe = new ByteArrayOutputStream();
        subscribe.write(packetId >> 8);
        subscribe.write(packetId & 0xff);
        subscribe.write(0);       // no properties
        writeString(subscribe, filter);
        subscribe.write(0);       // QoS 0
        send(0x82, subscribe.toByteArray());
        try {
            while (true) {
                int[] packet = readPacket();
                if (packet[0] == 0x90) {
                    int propertiesLength = packet[3];
                    return packet[4 + propertiesLength];
                }
                if (packet[0] == 0xE0) {
                    return -1;
                }
            }
        } catch (EOFException closed) {
            return -1;
        }
    }

    /** Reads packets until a QoS 0 PUBLISH whose payload is {@code payload}; {@code false} if the connection ended first. */
    boolean awaitPublish(String payload) throws IOException {
        try {
            while (true) {
                int[] packet = readPacket();
                if (packet[0] == 0x30) {
                    int topicLength = packet[1] << 8 | packet[2];
                    int start = properties(packet, 3 + topicLength)[1];
                    byte[] body = new byte[packet.length - start];
                    for (int i = 0; i < body.length; i++) {
                        body[i] = (byte) packet[start + i];
                    }
                    if (new String(body, StandardCharsets.UTF_8).equals(payload)) {
                        return true;
                    }
                }
                if (packet[0] == 0xE0) {
                    return false;
                }
            }
        } catch (EOFException closed) {
            return false;
        }
    }

    /**
     * The properties whose length (a variable byte integer) is at {@code at}: the index of the
     * first property and the index just past the last.
     */
    private static int[] properties(int[] packet, int at) {
        int length = 0;
        int shift = 0;
        int digit;
        do {
            digit = packet[at++];
            length |= (digit & 0x7f) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        return new int[] {at, at + length};
    }

    /** The reason string (property 0x1F) of an acknowledgement, or {@code null}; other properties are skipped. */
    private static String reasonString(int[] packet) {
        if (packet.length <= 5) {
            return null;
        }
        int[] properties = properties(packet, 4);
        int at = properties[0];
        while (at < properties[1]) {
            int id = packet[at++];
            int size = packet[at] << 8 | packet[at + 1];
            at += 2;
            if (id == 0x1F) {
                byte[] text = new byte[size];
                for (int i = 0; i < size; i++) {
                    text[i] = (byte) packet[at + i];
                }
                return new String(text, StandardCharsets.UTF_8);
            }
            at += size;
            if (id == 0x26) { // user property: name, then value
                at += 2 + (packet[at] << 8 | packet[at + 1]);
            }
        }
        return null;
    }

    /** Reads packets until a QoS 1 PUBLISH and returns its packet identifier, without acknowledging it. */
    int awaitQos1PublishId() throws IOException {
        while (true) {
            int[] packet = readPacket();
            if (packet[0] == 0x30) {
                int at = 3 + (packet[1] << 8 | packet[2]);
                return packet[at] << 8 | packet[at + 1];
            }
        }
    }

    /** Sends a PUBACK (reason 0x00). */
    void puback(int packetId) throws IOException {
        send(0x40, new byte[] {(byte) (packetId >> 8), (byte) (packetId & 0xff)});
    }

    /**
     * Reads PUBLISH packets without acknowledging any, until {@code wanted} came or none came for
     * {@code quietMillis}; returns how many came.
     */
    int countUnacknowledgedPublishes(int wanted, int quietMillis) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(quietMillis);
        int count = 0;
        try {
            while (count < wanted) {
                if (readPacket()[0] == 0x30) {
                    count++;
                }
            }
        } catch (java.net.SocketTimeoutException quiet) {
            // The server stopped sending: its window is full.
        } finally {
            socket.setSoTimeout(timeout);
        }
        return count;
    }

    /** Whether the server still answers: a PINGREQ gets its PINGRESP. */
    boolean ping() throws IOException {
        send(0xC0, new byte[0]);
        try {
            while (true) {
                int[] packet = readPacket();
                if (packet[0] == 0xD0) {
                    return true;
                }
                if (packet[0] == 0xE0) {
                    return false;
                }
            }
        } catch (EOFException closed) {
            return false;
        }
    }

    private void send(int header, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.write(body);
        socket.getOutputStream().write(packet.toByteArray());
        socket.getOutputStream().flush();
    }

    /** Returns the fixed header's first byte followed by the body bytes. */
    private int[] readPacket() throws IOException {
        int header = in.readUnsignedByte();
        int length = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = in.readUnsignedByte();
            length += (digit & 0x7f) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        int[] packet = new int[length + 1];
        packet[0] = header & 0xF0;
        for (int i = 1; i <= length; i++) {
            packet[i] = in.readUnsignedByte();
        }
        return packet;
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
