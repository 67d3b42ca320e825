package io.meshwork.edge.mqtt.interop;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An MQTT 3.1.1 / 5 client written packet by packet, for what a well-behaved library will not do:
 * stay silent past its keep alive, leave a PUBLISH unacknowledged, send a second CONNECT, use
 * topic alias 0, exceed the server's receive maximum, or show the topic alias a server sent.
 * A reader thread files incoming PUBLISHes (acknowledging them unless {@link #holdAcks} is set)
 * and hands every other packet to the waiting call.
 */
final class RawMqttClient implements AutoCloseable {

    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBACK = 9;
    static final int UNSUBACK = 11;
    static final int DISCONNECT = 14;

    /** A PUBLISH the server sent. {@code topic} is empty when the server used a topic alias alone. */
    record Publish(String topic, int packetId, int qos, boolean retain, boolean dup, RawProperties properties, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return (topic.isEmpty() ? "(alias)" : topic) + " qos " + qos + (retain ? " retained" : "") + (dup ? " dup" : "")
                    + " " + properties + " '" + text() + "'";
        }
    }

    /** The CONNACK: session present, return/reason code, properties (MQTT 5). */
    record Connack(boolean sessionPresent, int code, RawProperties properties) {
    }

    /** A will: topic, payload, QoS, retain, and its MQTT 5 properties. */
    record Will(String topic, String payload, int qos, boolean retain, RawProperties properties) {
    }

    /** The CONNECT fields the suite varies. */
    record Connect(String clientId, boolean cleanStart, int keepAlive, String protocolName, RawProperties properties, Will will) {
        static Connect of(String clientId, boolean cleanStart, int keepAlive) {
            return new Connect(clientId, cleanStart, keepAlive, "MQTT", new RawProperties(), null);
        }

        Connect withProperties(RawProperties properties) {
            return new Connect(clientId, cleanStart, keepAlive, protocolName, properties, will);
        }

        Connect withWill(Will will) {
            return new Connect(clientId, cleanStart, keepAlive, protocolName, properties, will);
        }

        Connect withProtocolName(String name) {
            return new Connect(clientId, cleanStart, keepAlive, name, properties, will);
        }
    }

    private record Packet(int type, int flags, byte[] body) {
        DataInputStream in() {
            return new DataInputStream(new ByteArrayInputStream(body));
        }
    }

    private final int version;
    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Packet> inbox = new LinkedBlockingQueue<>();
    private final List<Publish> received = new CopyOnWriteArrayList<>();
    private final Duration wait;
    private volatile boolean holdAcks;
    private volatile boolean closed;
    private volatile int serverDisconnect = -1;
    private int nextPacketId = 1;
    private Connack lastConnack;

    private RawMqttClient(BrokerAddress address, int version, Duration wait) throws IOException {
        this.version = version;
        this.wait = wait;
        socket = new Socket(address.host(), address.port());
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        Thread reader = new Thread(this::readLoop, "raw-mqtt-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a TCP connection; nothing is sent yet. {@code version} is 4 (3.1.1) or 5. */
    static RawMqttClient open(BrokerAddress address, int version, Duration wait) throws IOException {
        return new RawMqttClient(address, version, wait);
    }

    /** Opens a connection, sends CONNECT and returns once the CONNACK is in. */
    static RawMqttClient connect(BrokerAddress address, int version, Connect connect, Duration wait) throws IOException {
        RawMqttClient client = open(address, version, wait);
        Connack connack = client.sendConnect(connect);
        if (connack == null || connack.code() != 0) {
            client.close();
            throw new IOException("CONNECT of " + connect.clientId() + " to " + address + " refused: "
                    + (connack == null ? "connection closed" : "code 0x" + Integer.toHexString(connack.code())));
        }
        client.lastConnack = connack;
        return client;
    }

    Connack connack() {
        return lastConnack;
    }

    /** Sends CONNECT and returns the CONNACK, or null if the server closed the connection instead. */
    Connack sendConnect(Connect connect) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        RawCodec.writeString(body, connect.protocolName());
        body.write(version);
        int flags = connect.cleanStart() ? 0x02 : 0;
        if (connect.will() != null) {
            flags |= 0x04 | (connect.will().qos() << 3) | (connect.will().retain() ? 0x20 : 0);
        }
        body.write(flags);
        RawCodec.writeShort(body, connect.keepAlive());
        if (version == 5) {
            connect.properties().write(body);
        }
        RawCodec.writeString(body, connect.clientId());
        if (connect.will() != null) {
            if (version == 5) {
                connect.will().properties().write(body);
            }
            RawCodec.writeString(body, connect.will().topic());
            RawCodec.writeString(body, connect.will().payload());
        }
        send(0x10, body);
        Packet packet = await(CONNACK);
        if (packet == null) {
            return null;
        }
        DataInputStream in = packet.in();
        boolean present = (in.readUnsignedByte() & 1) == 1;
        int code = in.readUnsignedByte();
        RawProperties properties = version == 5 && in.available() > 0 ? RawProperties.read(in) : new RawProperties();
        return new Connack(present, code, properties);
    }

    /** Stop (or resume) acknowledging incoming QoS 1/2 PUBLISHes, as a client that stalls would. */
    void holdAcks(boolean hold) {
        holdAcks = hold;
    }

    /**
     * Publishes and completes the QoS flow; returns the PUBACK/PUBREC reason code (0 for QoS 0 and
     * for 3.1.1), or -1 if the connection closed first.
     */
    int publish(String topic, byte[] payload, int qos, boolean retain, RawProperties properties) throws IOException {
        int packetId = sendPublish(topic, payload, qos, retain, properties);
        if (qos == 0) {
            return 0;
        }
        Packet ack = await(qos == 1 ? PUBACK : PUBREC);
        if (ack == null) {
            return -1;
        }
        int code = reasonOf(ack);
        if (qos == 2 && code < 0x80) {
            ByteArrayOutputStream rel = new ByteArrayOutputStream();
            RawCodec.writeShort(rel, packetId);
            send(0x62, rel);
            if (await(PUBCOMP) == null) {
                return -1;
            }
        }
        return code;
    }

    int publish(String topic, String payload, int qos, boolean retain) throws IOException {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain, new RawProperties());
    }

    /** Sends a PUBLISH without waiting for its acknowledgement; returns its packet id. */
    int sendPublish(String topic, byte[] payload, int qos, boolean retain, RawProperties properties) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        RawCodec.writeString(body, topic);
        int packetId = 0;
        if (qos > 0) {
            packetId = nextPacketId++;
            RawCodec.writeShort(body, packetId);
        }
        if (version == 5) {
            properties.write(body);
        }
        body.writeBytes(payload);
        send(0x30 | (qos << 1) | (retain ? 1 : 0), body);
        return packetId;
    }

    /** Subscribes; {@code options} is the MQTT 5 subscription options byte (just the QoS in 3.1.1). Returns the SUBACK codes, or null. */
    int[] subscribe(String filter, int options, RawProperties properties) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        RawCodec.writeShort(body, nextPacketId++);
        if (version == 5) {
            properties.write(body);
        }
        RawCodec.writeString(body, filter);
        body.write(options);
        send(0x82, body);
        Packet suback = await(SUBACK);
        if (suback == null) {
            return null;
        }
        DataInputStream in = suback.in();
        in.readUnsignedShort();
        if (version == 5) {
            RawProperties.read(in);
        }
        byte[] codes = in.readAllBytes();
        int[] result = new int[codes.length];
        for (int i = 0; i < codes.length; i++) {
            result[i] = codes[i] & 0xff;
        }
        return result;
    }

    /** Acknowledges a PUBLISH received while acks were held. */
    void acknowledge(Publish publish) throws IOException {
        if (publish.qos() > 0) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            RawCodec.writeShort(body, publish.packetId());
            send(publish.qos() == 1 ? 0x40 : 0x50, body);
        }
    }

    /** Sends DISCONNECT (MQTT 5: with reason 0 and these properties) and closes the socket. */
    void disconnect(RawProperties properties) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (version == 5) {
            body.write(0);
            properties.write(body);
        }
        send(0xE0, body);
        close();
    }

    void disconnect() throws IOException {
        disconnect(new RawProperties());
    }

    /** Drops the TCP connection without a DISCONNECT, as a device that lost power would. */
    void terminate() throws IOException {
        close();
    }

    List<Publish> received() {
        return List.copyOf(received);
    }

    /** True once the server has closed the connection. */
    boolean isClosed() {
        return closed;
    }

    /** The reason code of the server's DISCONNECT, or -1 if none came. */
    int serverDisconnect() {
        return serverDisconnect;
    }

    private static int reasonOf(Packet ack) throws IOException {
        DataInputStream in = ack.in();
        in.readUnsignedShort();
        return in.available() > 0 ? in.readUnsignedByte() : 0;
    }

    /** The next packet of {@code type}, skipping others, or null if the connection closed or the wait ran out. */
    private Packet await(int type) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                Packet packet = inbox.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
                if (packet == null) {
                    if (closed && inbox.isEmpty()) {
                        return null;
                    }
                    continue;
                }
                if (packet.type() == type) {
                    return packet;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private synchronized void send(int header, ByteArrayOutputStream body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(header);
        RawCodec.writeVarInt(packet, body.size());
        body.writeTo(packet);
        out.write(packet.toByteArray());
        out.flush();
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int header = in.readUnsignedByte();
                int length = RawCodec.readVarInt(in);
                Packet packet = new Packet(header >> 4, header & 0x0f, in.readNBytes(length));
                switch (packet.type()) {
                    case PUBLISH -> onPublish(packet);
                    case PUBREL -> {
                        ByteArrayOutputStream comp = new ByteArrayOutputStream();
                        RawCodec.writeShort(comp, packet.in().readUnsignedShort());
                        send(0x70, comp);
                    }
                    case DISCONNECT -> {
                        serverDisconnect = packet.body().length > 0 ? packet.body()[0] & 0xff : 0;
                        inbox.add(packet);
                    }
                    default -> inbox.add(packet);
                }
            }
        } catch (IOException | RuntimeException e) {
            closed = true;
        }
    }

    private void onPublish(Packet packet) throws IOException {
        DataInputStream in = packet.in();
        int qos = (packet.flags() >> 1) & 3;
        String topic = RawCodec.readString(in);
        int packetId = qos > 0 ? in.readUnsignedShort() : 0;
        RawProperties properties = version == 5 ? RawProperties.read(in) : new RawProperties();
        Publish publish = new Publish(topic, packetId, qos, (packet.flags() & 1) == 1, (packet.flags() & 8) == 8, properties,
                in.readAllBytes());
        received.add(publish);
        if (!holdAcks) {
            acknowledge(publish);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
    }
}
