package io.meshwork.controlplane;

import io.javalin.Javalin;
import io.meshwork.controlplane.internal.AdminRoutes;
import io.meshwork.controlplane.internal.JsonAnswers;
import io.meshwork.controlplane.internal.LinkDrills;
import io.meshwork.controlplane.internal.OpsViews;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.topology.Topology;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's ops API (DESIGN.md 2.5): {@code GET /v1/health}, {@code GET /v1/topology},
 * {@code GET /metrics}, and, when a {@link LinkAdmin} is given (the embedded mesh), the WAN
 * drills {@code POST /v1/admin/links/{a}/{b}/cut|heal|flap} and
 * {@code POST /v1/admin/regions/{region}/isolate|rejoin}.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private final Javalin http;
    private final LinkDrills drills;

    private ControlPlane(Javalin http, LinkDrills drills) {
        this.http = http;
        this.drills = drills;
    }

    /**
     * Starts the ops API.
     *
     * @param links  the WAN switch, or {@code null} where links cannot be cut from here
     * @param checks the parts {@code /v1/health} reports on
     */
    public static ControlPlane start(ControlPlaneConfig config, Topology topology, LinkAdmin links, List<HealthCheck> checks) {
        List<HealthCheck> parts = List.copyOf(checks);
        LinkDrills drills = new LinkDrills(topology, links);
        AdminRoutes admin = new AdminRoutes(topology, links, drills);
        Javalin http = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            javalin.jetty.host = config.host();
            javalin.jetty.port = config.port();
            javalin.routes.get("/v1/health", ctx -> {
                Map<String, Object> health = OpsViews.health(topology.mesh(), parts);
                JsonAnswers.json(ctx, "UP".equals(health.get("status")) ? 200 : 503, health);
            });
            javalin.routes.get("/v1/topology", ctx -> JsonAnswers.json(ctx, 200, OpsViews.topology(topology, links)));
            javalin.routes.get("/metrics", ctx -> ctx.contentType(MeshMetrics.CONTENT_TYPE).result(MeshMetrics.scrape()));
            javalin.routes.post("/v1/admin/links/{a}/{b}/{action}", admin::link);
            javalin.routes.post("/v1/admin/regions/{region}/{action}", admin::region);
        }).start();
        LOG.info("control plane listening on {}:{}", config.host(), http.port());
        return new ControlPlane(http, drills);
    }

    /** The bound port of the ops API. */
    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        drills.close();
        http.stop();
    }
}
