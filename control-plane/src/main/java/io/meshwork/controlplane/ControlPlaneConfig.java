package io.meshwork.controlplane;

/**
 * Settings of the control plane.
 *
 * @param host interface the ops API binds to
 * @param port ops API port (8080 in the embedded mesh); 0 picks a free one
 */
public record ControlPlaneConfig(String host, int port) {

    public ControlPlaneConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("invalid control plane setting control.plane.host=" + host + ": must be non-blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid control plane setting control.plane.port=" + port + ": must be within 0..65535");
        }
    }
}
