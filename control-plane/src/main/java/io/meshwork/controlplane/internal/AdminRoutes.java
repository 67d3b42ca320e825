package io.meshwork.controlplane.internal;

import static io.meshwork.controlplane.internal.JsonAnswers.error;
import static io.meshwork.controlplane.internal.JsonAnswers.json;

import io.javalin.http.Context;
import io.meshwork.controlplane.LinkAdmin;
import io.meshwork.topology.Topology;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAN drills of the embedded mesh: {@code POST /v1/admin/links/{a}/{b}/cut|heal|flap} and
 * {@code POST /v1/admin/regions/{region}/isolate|rejoin}. Without a WAN emulator (a real
 * deployment) they answer 404 naming why.
 */
public final class AdminRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
    private static final int MAX_FLAPS = 1000;

    private final Topology topology;
    private final LinkAdmin links;
    private final LinkDrills drills;

    /** @param links the WAN switch, or {@code null} where there is none */
    public AdminRoutes(Topology topology, LinkAdmin links, LinkDrills drills) {
        this.topology = topology;
        this.links = links;
        this.drills = drills;
    }

    public void link(Context ctx) {
        String a = ctx.pathParam("a");
        String b = ctx.pathParam("b");
        String action = ctx.pathParam("action");
        if (!List.of("cut", "heal", "flap").contains(action)) {
            error(ctx, 404, "UNKNOWN_ACTION", "action", "unknown link action '" + action + "'; use cut, heal or flap");
            return;
        }
        if (!hasEmulator(ctx) || !knownRegions(ctx, a, b)) {
            return;
        }
        if (topology.link(a, b).isEmpty()) {
            error(ctx, 404, "UNKNOWN_LINK", "link", "the topology has no link between '" + a + "' and '" + b + "'");
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("a", a);
        answer.put("b", b);
        switch (action) {
            case "cut" -> links.cut(a, b);
            case "heal" -> links.heal(a, b);
            default -> {
                Integer times = intParam(ctx, "times", 10);
                Integer periodMs = intParam(ctx, "periodMs", 2000);
                if (times == null || periodMs == null) {
                    return;
                }
                drills.flap(a, b, times, Duration.ofMillis(periodMs));
                answer.put("flaps", times);
                answer.put("periodMs", periodMs);
                json(ctx, 202, answer);
                return;
            }
        }
        LOG.info("link {} <-> {}: {} by the admin API", a, b, action.equals("cut") ? "cut" : "healed");
        answer.put("state", links.isUp(a, b) ? "UP" : "DOWN");
        json(ctx, 200, answer);
    }

    public void region(Context ctx) {
        String region = ctx.pathParam("region");
        String action = ctx.pathParam("action");
        if (!List.of("isolate", "rejoin").contains(action)) {
            error(ctx, 404, "UNKNOWN_ACTION", "action", "unknown region action '" + action + "'; use isolate or rejoin");
            return;
        }
        if (!hasEmulator(ctx) || !knownRegions(ctx, region)) {
            return;
        }
        List<String> neighbours = action.equals("isolate") ? drills.isolate(region) : drills.rejoin(region);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("region", region);
        answer.put(action.equals("isolate") ? "cutFrom" : "rejoined", neighbours);
        json(ctx, 200, answer);
    }

    private boolean hasEmulator(Context ctx) {
        if (links == null) {
            error(ctx, 404, "NO_WAN_EMULATOR", "action",
                    "links can only be cut and healed in the embedded mesh, which runs a WAN emulator");
            return false;
        }
        return true;
    }

    private boolean knownRegions(Context ctx, String... regions) {
        for (String region : regions) {
            if (!topology.regionNames().contains(region)) {
                error(ctx, 404, "UNKNOWN_REGION", "region", "the topology has no region '" + region + "'");
                return false;
            }
        }
        return true;
    }

    private static Integer intParam(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1 && parsed <= (name.equals("times") ? MAX_FLAPS : 600_000)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        error(ctx, 400, "INVALID_PARAMETER", name, "'" + name + "' must be a positive integer"
                + (name.equals("times") ? " up to " + MAX_FLAPS : " (milliseconds, up to 600000)") + ", was '" + value + "'");
        return null;
    }
}
