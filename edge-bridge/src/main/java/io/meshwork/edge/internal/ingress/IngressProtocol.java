package io.meshwork.edge.internal.ingress;

/**
 * A protocol the edge accepts publishes on, as its metrics tag it.
 *
 * @see Ingress
 */
public enum IngressProtocol {
    HTTP("http", "body"),
    WEBSOCKET("websocket", "event_id"),
    GRPC("grpc", "event_id"),
    MQTT("mqtt", "payload"),
    AMQP("amqp", "message");

    private final String tag;
    private final String requestField;

    IngressProtocol(String tag, String requestField) {
        this.tag = tag;
        this.requestField = requestField;
    }

    /** The {@code protocol} tag of the edge's metrics. */
    public String tag() {
        return tag;
    }

    /** How this protocol's errors name the request as a whole, when no one field is at fault (a broker failure). */
    public String requestField() {
        return requestField;
    }
}
