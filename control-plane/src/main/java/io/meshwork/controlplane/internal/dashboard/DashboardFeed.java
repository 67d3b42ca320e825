package io.meshwork.controlplane.internal.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.meshwork.controlplane.LinkAdmin;
import io.meshwork.controlplane.internal.JsonAnswers;
import io.meshwork.controlplane.internal.OpsViews;
import io.meshwork.controlplane.internal.feeds.LinkStates;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.topology.Topology;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard's map shows, once a second: {@code GET /v1/dashboard/snapshot} answers it
 * once, {@code GET /v1/dashboard/stream} pushes it as the SSE event {@code snapshot} to every open
 * page. A snapshot is {@code /v1/topology} plus the link traffic ({@link LinkTraffic}) and whether
 * the WAN drills are available ({@code drills}: the embedded mesh only).
 */
public final class DashboardFeed implements AutoCloseable {

    /** How often the map refreshes: well inside the 10 s in which a cut must show. */
    static final long PERIOD_MS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Topology topology;
    private final LinkAdmin links;
    private final LinkStates states;
    private final LinkTraffic traffic = new LinkTraffic(MeshMetrics.registry());
    private final Set<SseClient> clients = new CopyOnWriteArraySet<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "control-plane-dashboard-feed");
        thread.setDaemon(true);
        return thread;
    });

    /** @param links the WAN switch, or {@code null} where there is none (drills hidden) */
    public DashboardFeed(Topology topology, LinkAdmin links, LinkStates states) {
        this.topology = topology;
        this.links = links;
        this.states = states;
    }

    public void start() {
        ticker.scheduleAtFixedRate(this::tick, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            traffic.sample(System.nanoTime());
            if (clients.isEmpty()) {
                return;
            }
            String snapshot = JSON.writeValueAsString(snapshot());
            for (SseClient client : clients) {
                if (client.terminated()) {
                    clients.remove(client);
                } else {
                    client.sendEvent("snapshot", snapshot);
                }
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // A failed tick must not end the schedule; the next one tries again.
            LOG.warn("dashboard: could not push the topology snapshot to {} pages: {}", clients.size(), e.toString());
        }
    }

    private Map<String, Object> snapshot() {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("at", Instant.now().toString());
        snapshot.put("drills", links != null);
        snapshot.put("topology", OpsViews.topology(topology, links, states));
        snapshot.put("traffic", traffic.view());
        return snapshot;
    }

    /** {@code GET /v1/dashboard/snapshot}. */
    public void get(Context ctx) {
        JsonAnswers.json(ctx, 200, snapshot());
    }

    /** {@code GET /v1/dashboard/stream}: keeps the page until it goes away. */
    public void subscribe(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        clients.forEach(SseClient::close);
        clients.clear();
    }
}
