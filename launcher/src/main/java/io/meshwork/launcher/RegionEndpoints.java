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
 */
public record RegionEndpoints(String region, String bootstrapServers, int httpPort, int grpcPort, int mqttPort, int amqpPort) {

    /** Endpoints of an edge that serves no AMQP. */
    public RegionEndpoints(String region, String bootstrapServers, int httpPort, int grpcPort, int mqttPort) {
        this(region, bootstrapServers, httpPort, grpcPort, mqttPort, -1);
    }

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

    /** AMQP 1.0 address of the region's edge, e.g. {@code amqp://127.0.0.1:15672}. */
    public String amqpUri() {
        return "amqp://127.0.0.1:" + amqpPort;
    }

    /** URL of the region's WebSocket stream, e.g. {@code ws://127.0.0.1:18080/v1/stream}. */
    public String streamUrl() {
        return "ws://127.0.0.1:" + httpPort + "/v1/stream";
    }
}
