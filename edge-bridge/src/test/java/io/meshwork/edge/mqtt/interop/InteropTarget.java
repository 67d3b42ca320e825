package io.meshwork.edge.mqtt.interop;

import java.util.Objects;

/**
 * What the suite runs against: one broker for every client (as Paho's suite does), or two
 * listeners of one mesh, where the clients that publish connect to {@code publishSide} and the
 * clients that subscribe connect to {@code subscribeSide} (the cross-region variant). A client
 * whose check is about its own session (the no-local publisher, a requester, client topic
 * aliases, the server's receive maximum) stays on the publish side.
 */
public record InteropTarget(String name, BrokerAddress publishSide, BrokerAddress subscribeSide) {

    /** System property: the broker to run the suite against ({@code host:port}). */
    public static final String BROKER_PROPERTY = "mqtt.interop.broker";
    /** System property: optional second listener for the subscribers ({@code host:port}). */
    public static final String SUBSCRIBE_BROKER_PROPERTY = "mqtt.interop.subscribe-broker";

    public InteropTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(publishSide, "publishSide");
        Objects.requireNonNull(subscribeSide, "subscribeSide");
    }

    public static InteropTarget oneBroker(String name, BrokerAddress broker) {
        return new InteropTarget(name, broker, broker);
    }

    /** Publishers on {@code publishSide}, subscribers on {@code subscribeSide}. */
    public static InteropTarget split(String name, BrokerAddress publishSide, BrokerAddress subscribeSide) {
        return new InteropTarget(name, publishSide, subscribeSide);
    }

    /** The target named by {@value #BROKER_PROPERTY} (and {@value #SUBSCRIBE_BROKER_PROPERTY}), or null when unset. */
    public static InteropTarget fromSystemProperties() {
        String broker = System.getProperty(BROKER_PROPERTY);
        if (broker == null || broker.isBlank()) {
            return null;
        }
        BrokerAddress publish = BrokerAddress.parse(broker, BROKER_PROPERTY);
        String other = System.getProperty(SUBSCRIBE_BROKER_PROPERTY);
        BrokerAddress subscribe = other == null || other.isBlank() ? publish : BrokerAddress.parse(other, SUBSCRIBE_BROKER_PROPERTY);
        return new InteropTarget(publish.equals(subscribe) ? publish.toString() : publish + " -> " + subscribe, publish, subscribe);
    }

    /** True when publishers and subscribers use different listeners. */
    public boolean isSplit() {
        return !publishSide.equals(subscribeSide);
    }
}
