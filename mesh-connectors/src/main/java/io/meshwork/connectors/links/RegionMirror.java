package io.meshwork.connectors.links;

import io.meshwork.core.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.connect.mirror.MirrorMaker;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.apache.kafka.connect.mirror.SourceAndTarget;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The links into one region: a MirrorMaker 2 (dedicated mode) in this JVM that pulls the data
 * spool {@code mesh.link.<region>} from every neighbour into {@code <neighbour>.mesh.link.<region>}
 * with the mesh's link transforms, and one {@link ControlChannel} per neighbour that relays its
 * {@code mesh.routes} (adverts, link states, heartbeats) apart from the data and measures the
 * link's round-trip time. In production the same MirrorMaker properties
 * ({@link LinkConfigs#render}) run in {@code connect-mirror-maker.sh}, beside {@code mesh links}
 * for the control channels.
 */
public final class RegionMirror implements RegionLinks {

    private static final Logger LOG = LoggerFactory.getLogger(RegionMirror.class);
    private static final String SOURCE_CONNECTOR = MirrorSourceConnector.class.getSimpleName();

    private final String region;
    private final MirrorMaker mirrorMaker;
    private final ControlChannels control;

    private RegionMirror(String region, MirrorMaker mirrorMaker, ControlChannels control) {
        this.region = region;
        this.mirrorMaker = mirrorMaker;
        this.control = control;
    }

    /**
     * Starts the links into {@code region} and returns once the source connector of every
     * neighbour's flow and its tasks are running.
     *
     * @param local          this region's cluster
     * @param neighbourKafka how this region reaches each neighbour's cluster (MirrorMaker's source clusters)
     */
    public static RegionMirror start(String region, KafkaClients local, Map<String, KafkaClients> neighbourKafka,
                                     LinkSettings settings, Duration timeout) throws InterruptedException {
        Map<String, String> properties = LinkConfigs.mirrorMakerFor(region, local, neighbourKafka, settings);
        List<String> neighbours = List.copyOf(new TreeMap<>(neighbourKafka).keySet());
        ControlChannels control = ControlChannels.start(region, local, new TreeMap<>(neighbourKafka), settings.replicationFactor());
        MirrorMaker mirrorMaker = new MirrorMaker(properties, List.of(region));
        mirrorMaker.start();
        RegionMirror mirror = new RegionMirror(region, mirrorMaker, control);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String neighbour : neighbours) {
            while (!mirror.isRunning(neighbour)) {
                if (System.nanoTime() > deadline) {
                    mirror.close();
                    throw new IllegalStateException("region " + region + ": link from " + neighbour
                            + " not running after " + timeout.toSeconds() + " s");
                }
                Thread.sleep(100); // polling MirrorMaker's status: no callback exists for it
            }
        }
        LOG.info("region {}: links from {} running", region, neighbours);
        return mirror;
    }

    @Override
    public OptionalLong rttMs(String neighbour) {
        return control.rttMs(neighbour);
    }

    /** Whether the flow from {@code neighbour} has its connector and every task running. */
    public boolean isRunning(String neighbour) {
        try {
            ConnectorStateInfo status = mirrorMaker.connectorStatus(new SourceAndTarget(neighbour, region), SOURCE_CONNECTOR);
            return status != null && "RUNNING".equals(status.connector().state()) && !status.tasks().isEmpty()
                    && status.tasks().stream().allMatch(task -> "RUNNING".equals(task.state()));
        } catch (RuntimeException e) {
            return false; // herder still starting, or connector not yet configured
        }
    }

    @Override
    public void close() {
        control.close();
        mirrorMaker.stop();
        LOG.info("region {}: links stopped", region);
    }
}
