package io.meshwork.launcher;

/**
 * Where to reach one region of a running embedded mesh.
 *
 * @param region           region name
 * @param bootstrapServers the regional Kafka cluster
 * @param httpPort         edge HTTP + WebSocket port
 * @param grpcPort         edge gRPC port
 */
public record RegionEndpoints(String region, String bootstrapServers, int httpPort, int grpcPort) {

    /** Base URL of the region's edge, e.g. {@code http://127.0.0.1:18080}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** gRPC target of the region's edge, e.g. {@code 127.0.0.1:18090}. */
    public String grpcTarget() {
        return "127.0.0.1:" + grpcPort;
    }

    /** URL of the region's WebSocket stream, e.g. {@code ws://127.0.0.1:18080/v1/stream}. */
    public String streamUrl() {
        return "ws://127.0.0.1:" + httpPort + "/v1/stream";
    }
}
