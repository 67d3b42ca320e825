package io.meshwork.connectors.links;

import io.meshwork.core.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures a link's round-trip time: it times a metadata request to the neighbour's cluster
 * across the link, on a connection of its own (a probe queued behind a long-polling fetch would
 * measure the fetch, not the WAN). The estimate is the smallest of the last few samples, as TCP
 * estimates a path's propagation delay: a slow answer (a new connection's handshakes, a busy
 * CPU, a GC pause) adds time and never removes any, so only a lasting change moves the routes.
 */
final class RttProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RttProbe.class);
    private static final int WINDOW = 10;
    /** Samples needed before an estimate (after the first answer on a connection, which is not one). */
    private static final int MIN_SAMPLES = 3;

    private final String link;
    private final Admin admin;
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final Deque<Long> samples = new ArrayDeque<>();
    private boolean reconnecting = true;
    private volatile long estimateMs = -1;

    private RttProbe(String link, Admin admin, Duration interval, Duration timeout) {
        this.link = link;
        this.admin = admin;
        this.timeout = timeout;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "rtt-probe-" + link);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts probing the cluster {@code kafka} every {@code interval}.
     *
     * @param link name of the link, for threads and logs ({@code eu-west-1->us-east-1})
     */
    static RttProbe start(String link, KafkaClients kafka, Duration interval) {
        Admin admin = kafka.admin("rtt probe " + link, Map.of(
                AdminClientConfig.CLIENT_ID_CONFIG, "meshwork-rtt-" + link,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000,
                // Keep the probe's connection open between probes: a new one would add handshakes.
                AdminClientConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG, 10 * 60_000));
        return new RttProbe(link, admin, interval, interval.multipliedBy(4));
    }

    /** The current estimate in milliseconds, if any probe has answered yet. */
    OptionalLong rttMs() {
        long estimate = estimateMs;
        return estimate < 0 ? OptionalLong.empty() : OptionalLong.of(estimate);
    }

    private void probe() {
        long started = System.nanoTime();
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).clusterId()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            record(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("link {}: RTT probe got no answer ({})", link, e.getMessage());
            lost();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("link {}: RTT probe failed ({})", link, e.toString());
        }
    }

    /** The link failed: what was measured before says nothing about the path after it comes back. */
    private synchronized void lost() {
        samples.clear();
        reconnecting = true;
    }

    private synchronized void record(long sampleMs) {
        if (reconnecting) {
            reconnecting = false; // the first answer paid for the new connection's handshakes
            return;
        }
        samples.addLast(sampleMs);
        if (samples.size() > WINDOW) {
            samples.removeFirst();
        }
        if (samples.size() >= MIN_SAMPLES) {
            estimateMs = samples.stream().mapToLong(Long::longValue).min().orElse(sampleMs);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
