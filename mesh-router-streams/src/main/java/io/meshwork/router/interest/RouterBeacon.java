package io.meshwork.router.interest;

import io.meshwork.core.interest.ControlCodec;
import io.meshwork.core.interest.RouterBeat;
import io.meshwork.core.kafka.BestEffortWriter;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.PeriodicTask;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Sends a {@link RouterBeat} of this router instance to the region's {@code mesh.beats} every
 * heartbeat interval while the instance is alive, from a thread of its own, outside Kafka Streams
 * and outside any transaction; the neighbours' control channels relay the beats with the region's
 * control records.
 *
 * <p>Why: the region's link state, which neighbours also take as its heartbeat, is sent by the one
 * task of the neighbours' routes topics. When that task moves (an instance joins, leaves, or is
 * killed and its session must time out first), no link state leaves the region for several
 * seconds, longer than the link timeout, and the neighbours took their links to the region as
 * down and rerouted, although every link was fine. With a beat from every instance, a neighbour
 * keeps hearing the region as long as one of its routers runs. The beats have a topic of their
 * own because a killed instance's open transaction holds back every later record of the
 * partitions it wrote to, {@code mesh.routes} included, from read_committed readers until the
 * transaction times out.
 */
public final class RouterBeacon implements AutoCloseable {

    private final String region;
    private final String instance;
    private final BooleanSupplier alive;
    private final BestEffortWriter writer;
    private PeriodicTask timer;

    private RouterBeacon(KafkaClients kafka, String region, String instance, BooleanSupplier alive) {
        this.region = region;
        this.instance = instance;
        this.alive = alive;
        // Short timeouts: a beat that cannot leave within a link timeout is worthless, and the next one is due.
        this.writer = new BestEffortWriter(kafka, "router-beacon-" + region, MeshKafkaTopics.BEATS, "region " + region + ": router beacon",
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000, ProducerConfig.LINGER_MS_CONFIG, 0));
    }

    /**
     * Starts beating.
     *
     * @param alive whether the instance is alive (its Streams client running or rebalancing): asked before every beat
     */
    public static RouterBeacon start(KafkaClients kafka, String region, Duration interval, BooleanSupplier alive) {
        RouterBeacon beacon = new RouterBeacon(kafka, region, instanceName(), alive);
        beacon.timer = PeriodicTask.start("router-beacon-" + region, interval, beacon::beat);
        return beacon;
    }

    private void beat() {
        if (!alive.getAsBoolean()) {
            return;
        }
        RouterBeat beat = new RouterBeat(region, instance, System.currentTimeMillis());
        writer.send(beat.key(), ControlCodec.encode(beat));
    }

    /** Host, process and a random suffix: instances of one region in one JVM (tests) stay apart. */
    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void close() {
        timer.close();
        writer.close(Duration.ofSeconds(2));
    }
}
