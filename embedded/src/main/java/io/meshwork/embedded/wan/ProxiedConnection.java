package io.meshwork.embedded.wan;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection through a link: the accepted client socket, the socket to the target and
 * a delayed pipe for each direction. Ends gracefully once both directions saw EOF, or abruptly
 * (RST on both sides) when either direction fails or the link is cut.
 */
final class ProxiedConnection implements DelayedPipe.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(ProxiedConnection.class);

    private final String name;
    private final Socket client;
    private final Socket target;
    private final DelayedPipe request;
    private final DelayedPipe response;
    private final Consumer<ProxiedConnection> onClosed;
    private final AtomicInteger finishedPipes = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param name       thread and log name prefix, e.g. {@code wan-us-east-1->eu-west-1-c7}
     * @param delayNanos one-way delay applied to each direction
     * @param onClosed   called once when the connection is over, however it ended
     */
    ProxiedConnection(String name, Socket client, Socket target, long delayNanos, AtomicLong bytesForwarded,
                      Consumer<ProxiedConnection> onClosed) {
        this.name = name;
        this.client = client;
        this.target = target;
        this.onClosed = onClosed;
        this.request = new DelayedPipe(name + "-req", client, target, delayNanos, bytesForwarded, this);
        this.response = new DelayedPipe(name + "-resp", target, client, delayNanos, bytesForwarded, this);
    }

    void start() {
        request.start();
        response.start();
    }

    /** Drops the connection with a TCP reset on both sides, as a failed WAN path would. */
    void reset(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.debug("{}: reset ({})", name, reason);
        request.stop();
        response.stop();
        resetQuietly(client);
        resetQuietly(target);
        onClosed.accept(this);
    }

    @Override
    public void pipeFinished(DelayedPipe pipe) {
        if (finishedPipes.incrementAndGet() < 2 || !closed.compareAndSet(false, true)) {
            return;
        }
        LOG.debug("{}: closed by both peers", name);
        closeQuietly(client);
        closeQuietly(target);
        onClosed.accept(this);
    }

    @Override
    public void pipeFailed(DelayedPipe pipe, IOException error) {
        // Peers disconnecting abruptly is routine (clients closing, brokers stopping): no stack trace.
        if (!closed.get()) {
            LOG.debug("{}: {} failed: {}", name, pipe.name(), error.toString());
        }
        reset(pipe.name() + " failed");
    }

    @Override
    public String toString() {
        return name;
    }

    private static void resetQuietly(Socket socket) {
        try {
            // Linger 0 turns close() into an RST instead of a FIN.
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // Already closed; close() below is a no-op then.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing useful to do about a failing close.
        }
    }
}
