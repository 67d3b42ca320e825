package io.meshwork.edge.internal.stream;

/**
 * One client connection that holds subscriptions (a WebSocket today; gRPC and MQTT streams
 * later). Identity is the object itself, so a connection with overlapping subscriptions still
 * receives each event once.
 */
public interface Subscriber {

    /** A stable id for logs. */
    String id();

    /** Hands an event to the connection; must not block the delivery thread. */
    void deliver(OutboundEvent event);
}
