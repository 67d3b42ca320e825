package io.meshwork.controlplane.internal.directory;

import static io.meshwork.controlplane.internal.JsonAnswers.error;
import static io.meshwork.controlplane.internal.JsonAnswers.json;

import io.javalin.http.Context;
import io.meshwork.controlplane.db.tables.records.BrokerNodesRecord;
import io.meshwork.core.directory.NodeStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /v1/brokers?region=&status=}, {@code GET /v1/brokers/allocate?region=} (the
 * least-loaded ACTIVE edge of a region, for a client about to connect) and
 * {@code PUT /v1/brokers/{id}/status} (ACTIVE / DRAINING by hand).
 */
public final class DirectoryRoutes {

    private final BrokerDirectory directory;

    public DirectoryRoutes(BrokerDirectory directory) {
        this.directory = directory;
    }

    public void list(Context ctx) {
        String region = blankToNull(ctx.queryParam("region"));
        String statusText = blankToNull(ctx.queryParam("status"));
        NodeStatus status = null;
        if (statusText != null) {
            status = status(ctx, statusText);
            if (status == null) {
                return;
            }
        }
        List<Map<String, Object>> nodes = directory.list(region, status).stream().map(DirectoryRoutes::view).toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("brokers", nodes);
        json(ctx, 200, answer);
    }

    public void allocate(Context ctx) {
        String region = blankToNull(ctx.queryParam("region"));
        if (region == null) {
            error(ctx, 400, "MISSING_PARAMETER", "region", "'region' is required, e.g. ?region=us-east-1");
            return;
        }
        Optional<BrokerNodesRecord> edge = directory.leastLoadedEdge(region);
        if (edge.isEmpty()) {
            error(ctx, 503, "NO_HEALTHY_EDGE", "region", "region '" + region + "' has no ACTIVE edge right now");
            return;
        }
        json(ctx, 200, view(edge.get()));
    }

    public void setStatus(Context ctx) {
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "INVALID_BROKER_ID", "id", "'" + ctx.pathParam("id") + "' is not a broker UUID");
            return;
        }
        NodeStatus status = status(ctx, String.valueOf(ctx.queryParam("status")));
        if (status == null) {
            return;
        }
        if (!directory.setStatus(id, status)) {
            error(ctx, 404, "UNKNOWN_BROKER", "id", "no broker with id " + id);
            return;
        }
        json(ctx, 200, view(directory.byId(id).orElseThrow()));
    }

    private static NodeStatus status(Context ctx, String text) {
        try {
            return NodeStatus.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "INVALID_PARAMETER", "status", "'status' must be ACTIVE, DRAINING or OFFLINE, was '" + text + "'");
            return null;
        }
    }

    static Map<String, Object> view(BrokerNodesRecord node) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("brokerId", node.getBrokerId().toString());
        view.put("brokerName", node.getBrokerName());
        view.put("role", node.getNodeRole());
        view.put("region", node.getDatacenterRegion());
        view.put("status", node.getBrokerStatus());
        view.put("ipAddress", node.getIpAddress());
        view.put("endpoint", node.getEndpoint());
        view.put("activeConnections", node.getActiveConnectionsCount());
        view.put("cpuUtilization", node.getCpuUtilization().doubleValue());
        view.put("lastHeartbeatAt", node.getLastHeartbeatAt().toInstant().toString());
        return view;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
