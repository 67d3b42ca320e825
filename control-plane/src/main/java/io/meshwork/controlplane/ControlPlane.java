package io.meshwork.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.meshwork.controlplane.internal.OpsViews;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's ops API (DESIGN.md 2.5): {@code GET /v1/health}, {@code GET /v1/topology}, and, when
 * a {@link LinkAdmin} is given (the embedded mesh), {@code POST /v1/admin/links/{a}/{b}/cut} and
 * {@code .../heal}.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin http;

    private ControlPlane(Javalin http) {
        this.http = http;
    }

    /**
     * Starts the ops API.
     *
     * @param links  the WAN switch, or {@code null} where links cannot be cut from here
     * @param checks the parts {@code /v1/health} reports on
     */
    public static ControlPlane start(ControlPlaneConfig config, Topology topology, LinkAdmin links, List<HealthCheck> checks) {
        List<HealthCheck> parts = List.copyOf(checks);
        Javalin http = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            javalin.jetty.host = config.host();
            javalin.jetty.port = config.port();
            javalin.routes.get("/v1/health", ctx -> {
                Map<String, Object> health = OpsViews.health(topology.mesh(), parts);
                json(ctx, "UP".equals(health.get("status")) ? 200 : 503, health);
            });
            javalin.routes.get("/v1/topology", ctx -> json(ctx, 200, OpsViews.topology(topology, links)));
            javalin.routes.get("/metrics", ctx -> ctx.contentType(MeshMetrics.CONTENT_TYPE).result(MeshMetrics.scrape()));
            javalin.routes.post("/v1/admin/links/{a}/{b}/{action}", ctx -> linkAction(ctx, topology, links));
        }).start();
        LOG.info("control plane listening on {}:{}", config.host(), http.port());
        return new ControlPlane(http);
    }

    /** The bound port of the ops API. */
    public int port() {
        return http.port();
    }

    private static void linkAction(Context ctx, Topology topology, LinkAdmin links) {
        String a = ctx.pathParam("a");
        String b = ctx.pathParam("b");
        String action = ctx.pathParam("action");
        if (!action.equals("cut") && !action.equals("heal")) {
            error(ctx, 404, "UNKNOWN_ACTION", "action", "unknown link action '" + action + "'; use cut or heal");
            return;
        }
        if (links == null) {
            error(ctx, 404, "NO_WAN_EMULATOR", "action",
                    "links can only be cut and healed in the embedded mesh, which runs a WAN emulator");
            return;
        }
        for (String region : List.of(a, b)) {
            if (!topology.regionNames().contains(region)) {
                error(ctx, 404, "UNKNOWN_REGION", "link", "the topology has no region '" + region + "'");
                return;
            }
        }
        if (topology.link(a, b).isEmpty()) {
            error(ctx, 404, "UNKNOWN_LINK", "link", "the topology has no link between '" + a + "' and '" + b + "'");
            return;
        }
        if (action.equals("cut")) {
            links.cut(a, b);
        } else {
            links.heal(a, b);
        }
        LOG.info("link {} <-> {}: {} by the admin API", a, b, action.equals("cut") ? "cut" : "healed");
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("a", a);
        state.put("b", b);
        state.put("state", links.isUp(a, b) ? "UP" : "DOWN");
        json(ctx, 200, state);
    }

    private static void error(Context ctx, int status, String code, String field, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", code);
        body.put("field", field);
        body.put("message", message);
        json(ctx, status, body);
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON response", e);
        }
    }

    @Override
    public void close() {
        http.stop();
    }
}
