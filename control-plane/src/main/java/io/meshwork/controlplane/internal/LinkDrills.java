package io.meshwork.controlplane.internal;

import io.meshwork.controlplane.LinkAdmin;
import io.meshwork.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failure drills on the WAN emulator, so operators can rehearse what the mesh survives: flap a
 * link (cut and heal it repeatedly), isolate a region (cut all its links) and let it rejoin.
 */
public final class LinkDrills implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LinkDrills.class);

    private final Topology topology;
    private final LinkAdmin links;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "link-drills");
        thread.setDaemon(true);
        return thread;
    });

    public LinkDrills(Topology topology, LinkAdmin links) {
        this.topology = topology;
        this.links = links;
    }

    /**
     * Cuts and heals the link {@code times} times, one change every {@code period} / 2, ending
     * healed. Returns at once; the drill runs in the background.
     */
    public void flap(String a, String b, int times, Duration period) {
        long half = Math.max(1, period.toMillis() / 2);
        LOG.info("link {} <-> {}: flapping {} times, every {} ms", a, b, times, period.toMillis());
        for (int i = 0; i < times; i++) {
            scheduler.schedule(() -> links.cut(a, b), 2L * i * half, TimeUnit.MILLISECONDS);
            scheduler.schedule(() -> links.heal(a, b), (2L * i + 1) * half, TimeUnit.MILLISECONDS);
        }
    }

    /** Cuts every link of {@code region}; returns the neighbours it was cut from. */
    public List<String> isolate(String region) {
        List<String> neighbours = topology.neighbours(region);
        neighbours.forEach(neighbour -> links.cut(region, neighbour));
        LOG.info("region {}: isolated from {}", region, neighbours);
        return neighbours;
    }

    /** Heals every link of {@code region}; returns the neighbours it rejoined. */
    public List<String> rejoin(String region) {
        List<String> neighbours = topology.neighbours(region);
        neighbours.forEach(neighbour -> links.heal(region, neighbour));
        LOG.info("region {}: rejoined {}", region, neighbours);
        return neighbours;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
