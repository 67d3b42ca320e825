package io.meshwork.launcher;

/**
 * Where to reach one region of a running embedded mesh.
 *
 * @param region           region name
 * @param bootstrapServers the regional Kafka cluster
 * @param httpPort         edge HTTP + WebSocket port
 * @param grpcPort         edge gRPC port
 * @param mqttPort         edge MQTT port
 */
public record RegionEndpoints(String region, String bootstrapServers, int httpPort, int grpcPort, int mqttPort) {

    /** Base URL of the region's edge, e.g. {@code http://127.0.0.1:18080}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** gRPC target of the region's edge, e.g. {@code 127.0.0.1:18090}. */
    public String grpcTarget() {
        return "127.0.0.1:" + grpcPort;
    }

    /** MQTT server URI of the region's edge, e.g. {@code tcp://127.0.0.1:11883}. */
    public String mqttUri() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    /** URL of the region's WebSocket stream, e.g. {@code ws://127.0.0.1:18080/v1/stream}. */
    public String streamUrl() {
        return "ws://127.0.0.1:" + httpPort + "/v1/stream";
    }
}
