package io.meshwork.bench.edge;

import io.meshwork.bench.harness.WsSubscriber;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Idle subscribers held open against one edge: WebSocket (Jetty's client) or MQTT 3.1.1 (hand-made
 * CONNECT and SUBSCRIBE on plain sockets: a Paho client costs three threads, and tens of thousands
 * of them would measure the client, not the edge). Connections spread over 127.0.0.x source
 * addresses so no single address runs out of ephemeral ports.
 */
final class IdleClients implements AutoCloseable {

    private static final int PER_SOURCE_ADDRESS = 20_000;
    private static final int PATTERNS = 1_000;
    private static final Duration CONFIRMATIONS = Duration.ofSeconds(120);

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<WebSocketClient> clients = new ArrayList<>();

    /** Opens up to {@code count} WebSocket subscribers, each subscribed; returns how many succeeded. */
    int webSockets(int httpPort, int count) throws Exception {
        String url = "ws://127.0.0.1:" + httpPort + "/v1/stream";
        List<WsSubscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            WebSocketClient client = clientFor(i);
            try {
                WsSubscriber subscriber = WsSubscriber.connect(client, url, (t, p, r) -> { });
                subscriber.subscribeAsync(pattern(i));
                subscribers.add(subscriber);
                open.add(subscriber);
            } catch (Exception e) {
                break;
            }
        }
        int confirmed = 0;
        // One deadline for all confirmations, so a stalled edge costs minutes, not one timeout per connection.
        long deadline = System.nanoTime() + CONFIRMATIONS.toNanos();
        for (int i = 0; i < subscribers.size(); i++) {
            try {
                subscribers.get(i).awaitControl("SUBSCRIBED", pattern(i), Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                confirmed++;
            } catch (Exception e) {
                // Counted as not reached.
            }
        }
        return confirmed;
    }

    private WebSocketClient clientFor(int connection) throws Exception {
        int index = connection / PER_SOURCE_ADDRESS;
        while (clients.size() <= index) {
            HttpClient http = new HttpClient();
            http.setBindAddress(new InetSocketAddress("127.0.0." + (clients.size() + 1), 0));
            WebSocketClient client = new WebSocketClient(http);
            client.start();
            clients.add(client);
        }
        return clients.get(index);
    }

    /** Opens up to {@code count} MQTT 3.1.1 sessions, each with one QoS 0 subscription; returns how many got their SUBACK. */
    int mqtt(int mqttPort, int count) {
        int subscribed = 0;
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            try {
                socket.bind(new InetSocketAddress("127.0.0." + (1 + i / PER_SOURCE_ADDRESS), 0));
                socket.connect(new InetSocketAddress("127.0.0.1", mqttPort), 30_000);
                socket.setSoTimeout(60_000);
                open.add(socket);
                OutputStream out = socket.getOutputStream();
                out.write(connect("bench-idle-" + i));
                out.write(subscribe(pattern(i)));
                out.flush();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] connack = new byte[4];
                in.readFully(connack);
                byte[] suback = new byte[5];
                in.readFully(suback);
                if (connack[0] == 0x20 && connack[3] == 0 && suback[0] == (byte) 0x90 && suback[4] == 0) {
                    subscribed++;
                }
            } catch (IOException e) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Already failed.
                }
                break;
            }
        }
        return subscribed;
    }

    private static String pattern(int i) {
        return "bench/idle/" + (i % PATTERNS) + "/#";
    }

    /** CONNECT, MQTT 3.1.1, clean session, keep-alive off (idle sessions never ping). */
    static byte[] connect(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] variable = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 0};
        return packet(0x10, concat(variable, string(id)));
    }

    /** SUBSCRIBE, packet id 1, one filter at QoS 0. */
    static byte[] subscribe(String filter) {
        return packet(0x82, concat(new byte[] {0, 1}, string(filter.getBytes(StandardCharsets.UTF_8)), new byte[] {0}));
    }

    private static byte[] string(byte[] bytes) {
        return concat(new byte[] {(byte) (bytes.length >> 8), (byte) bytes.length}, bytes);
    }

    private static byte[] packet(int type, byte[] body) {
        // Remaining length: the variable-length encoding, enough for bodies under 16 KiB.
        byte[] length = body.length < 128 ? new byte[] {(byte) body.length}
                : new byte[] {(byte) ((body.length & 0x7F) | 0x80), (byte) (body.length >> 7)};
        return concat(new byte[] {(byte) type}, length, body);
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable connection : open) {
            try {
                connection.close();
            } catch (Exception e) {
                // Closing after the measurement.
            }
        }
        open.clear();
        for (WebSocketClient client : clients) {
            client.stop();
        }
        clients.clear();
    }
}
