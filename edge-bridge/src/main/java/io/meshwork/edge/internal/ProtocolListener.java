package io.meshwork.edge.internal;

/**
 * A client protocol served by the edge beside HTTP and WebSocket (gRPC, MQTT). Started after
 * the edge's Kafka reader and interest registry, stopped before them.
 */
public interface ProtocolListener extends AutoCloseable {

    /** Short name for logs and the endpoint table, e.g. {@code gRPC}. */
    String protocol();

    /** Binds and starts serving; returns once clients can connect. */
    void start(EdgeContext context) throws Exception;

    /** The bound port. */
    int port();

    /** Stops serving; open client connections are closed. */
    @Override
    void close();
}
