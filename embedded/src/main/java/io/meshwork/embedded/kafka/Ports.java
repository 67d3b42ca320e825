package io.meshwork.embedded.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Local TCP port helpers. */
final class Ports {

    private Ports() {
    }

    /**
     * A port that was free a moment ago. Kafka needs concrete ports up front (the controller
     * quorum and advertised listeners name them), so there is an unavoidable small race with
     * other processes binding the same port before the broker does.
     */
    static int pickFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    /** Whether something is listening on (or otherwise holding) {@code 127.0.0.1:port}. */
    static boolean isTaken(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Java turns SO_REUSEADDR on for server sockets; that still refuses a port another
            // socket listens on, but ignores leftover TIME_WAIT connections, like Kafka itself.
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
