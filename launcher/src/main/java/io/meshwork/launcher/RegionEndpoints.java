package io.meshwork.launcher;

/**
 * Where to reach one region of a running embedded mesh.
 *
 * @param region           region name
 * @param bootstrapServers the regional Kafka cluster
 * @param httpPort         edge HTTP + WebSocket port
 * @param grpcPort         edge gRPC port
 * @param mqttPort         edge MQTT port
 * @param amqpPort         edge AMQP 1.0 port, -1 when the edge serves none
 * @param tls              whether the edge serves TLS on these ports (https, wss, gRPC over TLS, ssl, amqps)
 */
public record RegionEndpoints(String region, String bootstrapServers, int httpPort, int grpcPort, int mqttPort, int amqpPort,
                              boolean tls) {

    /** Endpoints of a plaintext edge that serves no AMQP. */
    public RegionEndpoints(String region, String bootstrapServers, int httpPort, int grpcPort, int mqttPort) {
        this(region, bootstrapServers, httpPort, grpcPort, mqttPort, -1, false);
    }

    /** Base URL of the region's edge, e.g. {@code http://127.0.0.1:18080}. */
    public String httpUrl() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + httpPort;
    }

    /** gRPC target of the region's edge, e.g. {@code 127.0.0.1:18090}. */
    public String grpcTarget() {
        return "127.0.0.1:" + grpcPort;
    }

    /** MQTT server URI of the region's edge, e.g. {@code tcp://127.0.0.1:11883}. */
    public String mqttUri() {
        return (tls ? "ssl" : "tcp") + "://127.0.0.1:" + mqttPort;
    }

    /** AMQP 1.0 address of the region's edge, e.g. {@code amqp://127.0.0.1:15672} ({@code amqps://} with TLS). */
    public String amqpUri() {
        return (tls ? "amqps" : "amqp") + "://127.0.0.1:" + amqpPort;
    }

    /** URL of the region's WebSocket stream, e.g. {@code ws://127.0.0.1:18080/v1/stream}. */
    public String streamUrl() {
        return (tls ? "wss" : "ws") + "://127.0.0.1:" + httpPort + "/v1/stream";
    }
}
