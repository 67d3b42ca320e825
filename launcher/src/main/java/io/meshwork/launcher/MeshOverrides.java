package io.meshwork.launcher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration keys the embedded mesh gives its edges and its control plane on top of its own,
 * e.g. the TLS (and token) keys of {@code ./mesh up --secure}. Keys as in the services' files
 * ({@code edge.tls.enabled}, {@code control-plane.tls.keystore.path}, ...).
 *
 * @param edge         keys for every edge
 * @param controlPlane keys for the control plane
 */
public record MeshOverrides(Map<String, String> edge, Map<String, String> controlPlane) {

    /** Nothing on top: the open mesh of {@code ./mesh up}. */
    public static final MeshOverrides NONE = new MeshOverrides(Map.of(), Map.of());

    public MeshOverrides {
        edge = Map.copyOf(edge);
        controlPlane = Map.copyOf(controlPlane);
    }

    Map<String, String> edge(Map<String, String> base) {
        return merged(base, edge);
    }

    Map<String, String> controlPlane(Map<String, String> base) {
        return merged(base, controlPlane);
    }

    /** Whether the overrides turn TLS on for the edges. */
    boolean edgeTls() {
        return "true".equals(edge.get(io.meshwork.edge.EdgeKeys.PREFIX + io.meshwork.core.tls.TlsKeys.ENABLED));
    }

    /** Whether the overrides turn TLS on for the control plane. */
    boolean controlPlaneTls() {
        return "true".equals(controlPlane.get(io.meshwork.controlplane.ControlPlaneKeys.PREFIX + io.meshwork.core.tls.TlsKeys.ENABLED));
    }

    private static Map<String, String> merged(Map<String, String> base, Map<String, String> extra) {
        Map<String, String> keys = new LinkedHashMap<>(base);
        keys.putAll(extra);
        return keys;
    }
}
