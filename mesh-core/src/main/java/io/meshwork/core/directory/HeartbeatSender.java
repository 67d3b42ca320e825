package io.meshwork.core.directory;

import io.meshwork.core.kafka.BestEffortWriter;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.PeriodicTask;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Sends a node's heartbeat to its region's {@code mesh.heartbeats} every {@link #INTERVAL}, and
 * a last one saying OFFLINE when the node stops. Heartbeats go through the regional Kafka
 * cluster, not to the control plane directly: a node never needs to know where the control plane
 * runs, and a restarted control plane catches up from its committed offsets.
 */
public final class HeartbeatSender implements AutoCloseable {

    /** How often a node sends its heartbeat. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private final String name;
    private final NodeRole role;
    private final String region;
    private final String endpoint;
    private final IntSupplier connections;
    private final String ipAddress = localAddress();
    private final BestEffortWriter writer;
    private PeriodicTask timer;

    private HeartbeatSender(KafkaClients kafka, String name, NodeRole role, String region, String endpoint,
                            IntSupplier connections) {
        this.name = name;
        this.role = role;
        this.region = region;
        this.endpoint = endpoint;
        this.connections = connections;
        this.writer = new BestEffortWriter(kafka, "heartbeat-" + name, MeshKafkaTopics.HEARTBEATS,
                "region " + region + ": " + name, Map.of(
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    /**
     * Starts heartbeating.
     *
     * @param endpoint    where clients reach the node, or {@code null}
     * @param connections asked at every heartbeat
     */
    public static HeartbeatSender start(KafkaClients kafka, String name, NodeRole role, String region, String endpoint,
                                        IntSupplier connections) {
        HeartbeatSender sender = new HeartbeatSender(kafka, name, role, region, endpoint, connections);
        sender.timer = PeriodicTask.start("heartbeat-" + name, INTERVAL, () -> sender.send(NodeStatus.ACTIVE));
        return sender;
    }

    private void send(NodeStatus status) {
        try {
            NodeHeartbeat beat = new NodeHeartbeat(name, role, region, ipAddress, endpoint, status,
                    Math.max(0, connections.getAsInt()), cpuPercent(), System.currentTimeMillis());
            writer.send(name, beat.encode());
        } catch (RuntimeException e) {
            writer.failed(e);
        }
    }

    /** CPU load of this process, in percent (0 when the JVM cannot tell). */
    static double cpuPercent() {
        return ProcessCpu.percent(500_000_000L);
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /** Stops heartbeating without a last word, as a crashed node would: the directory notices the silence. */
    public void abandon() {
        timer.abandon();
        writer.close(Duration.ofSeconds(1));
    }

    /** Stops heartbeating and tells the directory the node is gone. */
    @Override
    public void close() {
        timer.close();
        if (!writer.hasFailed()) {
            send(NodeStatus.OFFLINE);
        }
        writer.close(Duration.ofSeconds(3));
    }
}
