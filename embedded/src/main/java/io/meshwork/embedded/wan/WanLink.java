package io.meshwork.embedded.wan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One directed WAN link: a TCP proxy on 127.0.0.1 through which clients in region {@code from}
 * reach a listener in region {@code to}, with each direction delayed by half the round-trip time
 * (so a request and its response cost one RTT), and which can be cut and healed.
 *
 * <p>The port is bound by {@link #open} and stays the same across {@link #cut()} and
 * {@link #heal()}, so it can be advertised up front (see the embedded cluster's extra
 * listeners). Byte order is preserved; a half-close by either peer is passed on. Thread-safe.
 */
public final class WanLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WanLink.class);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int BACKLOG = 50;
    private static final Duration ACCEPTOR_STOP_TIMEOUT = Duration.ofSeconds(5);

    private enum State { UP, CUT, CLOSED }

    private final String from;
    private final String to;
    private final Duration rtt;
    private final String name;
    private final long oneWayDelayNanos;
    private final int port;
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesForwarded = new AtomicLong();
    private final AtomicLong connectionIds = new AtomicLong();
    private volatile InetSocketAddress target;
    // Guarded by this: state and the server socket change together.
    private State state;
    private ServerSocket serverSocket;
    private Thread acceptor;

    private WanLink(String from, String to, Duration rtt, ServerSocket serverSocket) {
        this.from = from;
        this.to = to;
        this.rtt = rtt;
        this.name = "wan-" + from + "->" + to;
        this.oneWayDelayNanos = rtt.toNanos() / 2;
        this.port = serverSocket.getLocalPort();
        this.serverSocket = serverSocket;
        this.state = State.UP;
    }

    /**
     * Binds a free port on 127.0.0.1 right away and starts accepting. Connections are closed
     * until {@link #forwardTo} names the target.
     *
     * @param from region whose clients use this link
     * @param to   region the link leads to
     * @param rtt  round-trip time to emulate; zero is allowed
     */
    public static WanLink open(String from, String to, Duration rtt) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(rtt, "rtt");
        if (rtt.isNegative()) {
            throw new IllegalArgumentException("RTT of WAN link " + from + "->" + to + " must not be negative: " + rtt);
        }
        WanLink link = new WanLink(from, to, rtt, bind(from + "->" + to, 0));
        synchronized (link) {
            link.acceptor = link.startAccepting(link.serverSocket);
        }
        LOG.info("WAN link {}->{} listening on 127.0.0.1:{} (RTT {} ms)", from, to, link.port, rtt.toMillis());
        return link;
    }

    /** Where accepted connections go: a listener in region {@code to}. */
    public void forwardTo(InetSocketAddress target) {
        this.target = Objects.requireNonNull(target, "target");
        LOG.debug("{}: forwarding to {}", name, target);
    }

    /** The local port clients connect to; the same for the life of the link. */
    public int port() {
        return port;
    }

    /** Region whose clients use this link. */
    public String from() {
        return from;
    }

    /** Region the link leads to. */
    public String to() {
        return to;
    }

    /** Emulated round-trip time; each direction carries half of it. */
    public Duration rtt() {
        return rtt;
    }

    /** Whether the link accepts connections (not cut, not closed). */
    public synchronized boolean isUp() {
        return state == State.UP;
    }

    /** Bytes delivered so far, both directions together. */
    public long bytesForwarded() {
        return bytesForwarded.get();
    }

    /** Connections currently open through the link. */
    public int openConnections() {
        return connections.size();
    }

    /**
     * Cuts the link: every open connection is reset (RST to both peers) and new connections are
     * refused, because nothing listens on the port any more. No-op unless the link is up.
     */
    public void cut() {
        List<ProxiedConnection> dropped;
        Thread stoppedAcceptor;
        synchronized (this) {
            if (state != State.UP) {
                return;
            }
            state = State.CUT;
            closeQuietly(serverSocket);
            stoppedAcceptor = acceptor;
            dropped = List.copyOf(connections);
        }
        dropped.forEach(c -> c.reset("link cut"));
        awaitTermination(stoppedAcceptor);
        LOG.info("WAN link {}->{} cut, {} connection(s) reset", from, to, dropped.size());
    }

    /**
     * Heals a cut link: binds the same port again and accepts connections. No-op unless cut.
     *
     * @throws UncheckedIOException if another socket took the port while the link was cut
     */
    public void heal() {
        Thread stoppedAcceptor;
        synchronized (this) {
            if (state != State.CUT) {
                return;
            }
            stoppedAcceptor = acceptor;
        }
        awaitTermination(stoppedAcceptor);
        synchronized (this) {
            if (state != State.CUT) {
                return;
            }
            serverSocket = bind(from + "->" + to, port);
            state = State.UP;
            acceptor = startAccepting(serverSocket);
        }
        LOG.info("WAN link {}->{} healed on 127.0.0.1:{}", from, to, port);
    }

    /** Closes the port and resets every connection. Idempotent. */
    @Override
    public void close() {
        List<ProxiedConnection> dropped;
        Thread stoppedAcceptor;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            closeQuietly(serverSocket);
            stoppedAcceptor = acceptor;
            dropped = List.copyOf(connections);
        }
        dropped.forEach(c -> c.reset("link closed"));
        awaitTermination(stoppedAcceptor);
        LOG.debug("{}: closed", name);
    }

    @Override
    public String toString() {
        return "WanLink[" + from + "->" + to + " :" + port + ", rtt=" + rtt.toMillis() + "ms, " + stateName() + "]";
    }

    private synchronized String stateName() {
        return state.name();
    }

    private Thread startAccepting(ServerSocket socket) {
        Thread thread = new Thread(() -> acceptLoop(socket), name + "-accept");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Closing a server socket while a thread is blocked in accept() only releases the port once
     * that thread has woken up; until then the port still listens (and would take connections)
     * and cannot be bound again. So cut() and heal() wait for the old acceptor to finish.
     */
    private void awaitTermination(Thread stoppedAcceptor) {
        if (stoppedAcceptor == null || stoppedAcceptor == Thread.currentThread()) {
            return;
        }
        try {
            stoppedAcceptor.join(ACCEPTOR_STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stoppedAcceptor.isAlive()) {
            LOG.warn("WAN link {}->{}: acceptor did not stop within {} ms", from, to, ACCEPTOR_STOP_TIMEOUT.toMillis());
        }
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                // cut() and close() close the server socket under us; that is how we stop.
                LOG.debug("{}: stopped accepting: {}", name, e.toString());
                return;
            }
            connect(client);
        }
    }

    private void connect(Socket client) {
        InetSocketAddress destination = target;
        if (destination == null) {
            LOG.debug("{}: no target yet, dropping connection from {}", name, client.getRemoteSocketAddress());
            resetQuietly(client);
            return;
        }
        Socket server = new Socket();
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(destination, CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            LOG.debug("{}: cannot reach {}: {}", name, destination, e.toString());
            resetQuietly(client);
            closeQuietly(server);
            return;
        }
        String connectionName = name + "-c" + connectionIds.incrementAndGet();
        ProxiedConnection connection = new ProxiedConnection(
                connectionName, client, server, oneWayDelayNanos, bytesForwarded, connections::remove);
        synchronized (this) {
            // A cut between accept() and here must not leave this connection alive.
            if (state != State.UP) {
                connection.reset("link " + state.name().toLowerCase());
                return;
            }
            connections.add(connection);
        }
        connection.start();
    }

    private static ServerSocket bind(String linkName, int port) {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            // Lets heal() re-bind while reset connections of the old socket linger in the kernel.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("WAN link " + linkName + ": cannot bind 127.0.0.1:" + port, e);
        }
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // Nothing useful to do about a failing close.
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Nothing useful to do about a failing close.
        }
    }
}
