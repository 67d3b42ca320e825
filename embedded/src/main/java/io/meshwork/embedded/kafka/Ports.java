package io.meshwork.embedded.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/** Local TCP port helpers: free ports for the embedded clusters, and for tests and fixtures that start Kafka and mesh processes. */
public final class Ports {

    /** Every port {@link #pickFree} returned in this JVM. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * A port that was free a moment ago. Kafka needs concrete ports up front (the controller
     * quorum and advertised listeners name them), so there is an unavoidable small race with
     * other processes binding the same port before the broker does.
     */
    public static int pickFree() {
        return pickFree(Ports::bindAny);
    }

    /**
     * The first port from {@code candidates} this JVM has not handed out before. The probe socket
     * is closed before Kafka binds the port, so the kernel may hand the same port out again
     * meanwhile: two listeners of one JVM once got one port.
     */
    static int pickFree(IntSupplier candidates) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = candidates.getAsInt();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no local port that this JVM has not handed out already after 100 attempts");
    }

    private static int bindAny() {
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
