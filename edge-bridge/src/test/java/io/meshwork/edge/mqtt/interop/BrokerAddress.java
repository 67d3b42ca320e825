package io.meshwork.edge.mqtt.interop;

/** Where an MQTT listener accepts TCP connections. */
public record BrokerAddress(String host, int port) {

    public BrokerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("MQTT broker host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("MQTT broker port " + port + " is not in 1..65535");
        }
    }

    /**
     * Reads {@code host:port} (or a bare {@code port}, meaning 127.0.0.1).
     *
     * @param what names the setting the text came from, for the error message
     */
    public static BrokerAddress parse(String text, String what) {
        String trimmed = text == null ? "" : text.trim();
        int colon = trimmed.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : trimmed.substring(0, colon);
        String port = colon < 0 ? trimmed : trimmed.substring(colon + 1);
        try {
            return new BrokerAddress(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": expected host:port, got '" + text + "'");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage() + " (got '" + text + "')");
        }
    }

    /** The Paho server URI. */
    public String uri() {
        return "tcp://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
