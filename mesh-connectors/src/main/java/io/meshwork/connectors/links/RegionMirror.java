package io.meshwork.connectors.links;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.mirror.MirrorMaker;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.apache.kafka.connect.mirror.SourceAndTarget;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The links into one region: a MirrorMaker 2 (dedicated mode) in this JVM that pulls
 * {@code mesh.link.<region>} from every neighbour into {@code <neighbour>.mesh.link.<region>},
 * and the neighbours' {@code mesh.routes} alongside, with the mesh's link transforms. In
 * production the same properties ({@link LinkConfigs#render}) run in {@code connect-mirror-maker.sh}.
 */
public final class RegionMirror implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegionMirror.class);
    private static final String SOURCE_CONNECTOR = MirrorSourceConnector.class.getSimpleName();

    private final String region;
    private final MirrorMaker mirrorMaker;

    private RegionMirror(String region, MirrorMaker mirrorMaker) {
        this.region = region;
        this.mirrorMaker = mirrorMaker;
    }

    /**
     * Starts the links into {@code region} and returns once the source connector of every
     * neighbour's flow and its tasks are running.
     *
     * @param properties MirrorMaker 2 properties from {@link LinkConfigs#mirrorMakerFor}
     */
    public static RegionMirror start(String region, List<String> neighbours, Map<String, String> properties, Duration timeout)
            throws InterruptedException {
        MirrorMaker mirrorMaker = new MirrorMaker(properties, List.of(region));
        mirrorMaker.start();
        RegionMirror mirror = new RegionMirror(region, mirrorMaker);
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
        mirrorMaker.stop();
        LOG.info("region {}: links stopped", region);
    }
}
