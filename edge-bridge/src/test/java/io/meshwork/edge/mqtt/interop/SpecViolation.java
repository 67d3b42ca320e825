package io.meshwork.edge.mqtt.interop;

/**
 * A case's check did not hold. The message starts with the specification statement checked
 * (e.g. {@code [MQTT-3.3.1-6]}) and says what was observed instead.
 */
final class SpecViolation extends RuntimeException {

    SpecViolation(String message) {
        super(message, null, false, false);
    }

    /** Throws unless {@code condition} holds. */
    static void require(boolean condition, String statement, String observed) {
        if (!condition) {
            throw new SpecViolation(statement + "; observed: " + observed);
        }
    }
}
