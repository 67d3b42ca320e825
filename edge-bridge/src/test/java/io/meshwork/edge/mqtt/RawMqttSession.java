package io.meshwork.edge.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * MQTT 3.1.1 or 5 packets written by hand, for packet sequences a client library will not send
 * as such: a SUBSCRIBE followed at once by a DISCONNECT without waiting for the SUBACK (what the
 * Paho interoperability suite's client does), or a DISCONNECT with a session expiry.
 */
public final class RawMqttSession implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final int version;

    /**
     * Connects and reads the CONNACK.
     *
     * @param version       4 (MQTT 3.1.1) or 5
     * @param sessionExpiry MQTT 5 only: the CONNECT's session expiry interval
     */
    public RawMqttSession(int port, int version, String clientId, boolean cleanStart, long sessionExpiry) throws IOException {
        this.version = version;
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        ByteArrayOutputStream connect = new ByteArrayOutputStream();
        writeString(connect, "MQTT");
        connect.write(version);
        connect.write(cleanStart ? 0x02 : 0);
        connect.write(0);
        connect.write(60);        // keep alive
        if (version == 5) {
            connect.write(5);     // properties: session expiry interval (0x11), four bytes
            connect.write(0x11);
            writeInt(connect, sessionExpiry);
        }
        writeString(connect, clientId);
        send(0x10, connect.toByteArray());
        int[] connack = readPacket();
        if (connack[0] != 0x20) {
            throw new IOException("expected CONNACK, got packet type 0x" + Integer.toHexString(connack[0]));
        }
    }

    /** Sends a SUBSCRIBE with one filter and does not wait for the SUBACK. */
    public void subscribeNoWait(String filter, int qos) throws IOException {
        ByteArrayOutputStream subscribe = new ByteArrayOutputStream();
        subscribe.write(0);
        subscribe.write(1);       // packet id
        if (version == 5) {
            subscribe.write(0);   // no properties
        }
        writeString(subscribe, filter);
        subscribe.write(qos);
        send(0x82, subscribe.toByteArray());
    }

    /** Sends a normal DISCONNECT and closes the connection. */
    public void disconnect() throws IOException {
        send(0xE0, new byte[0]);
        socket.close();
    }

    /**
     * MQTT 5: sends a DISCONNECT (reason 0) whose properties set the session expiry interval, and
     * returns the server's answer: its DISCONNECT reason code, or -1 if it closed the connection
     * without one.
     */
    public int disconnectWithSessionExpiry(long seconds) throws IOException {
        ByteArrayOutputStream disconnect = new ByteArrayOutputStream();
        disconnect.write(0);      // normal disconnection
        disconnect.write(5);
        disconnect.write(0x11);
        writeInt(disconnect, seconds);
        send(0xE0, disconnect.toByteArray());
        try {
            while (true) {
                int[] packet = readPacket();
                if (packet[0] == 0xE0) {
                    return packet.length > 1 ? packet[1] : 0;
                }
            }
        } catch (EOFException | java.net.SocketException closed) {
            return -1;
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

    private static void writeInt(ByteArrayOutputStream out, long value) {
        out.write((int) (value >> 24) & 0xff);
        out.write((int) (value >> 16) & 0xff);
        out.write((int) (value >> 8) & 0xff);
        out.write((int) value & 0xff);
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
