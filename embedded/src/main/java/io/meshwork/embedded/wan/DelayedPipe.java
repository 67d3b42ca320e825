package io.meshwork.embedded.wan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One direction of a proxied connection: a reader thread stamps every chunk it reads with the
 * time it may be delivered, a writer thread delivers the chunks in order once that time has come.
 * A constant delay keeps the deadlines monotonic, so a FIFO queue preserves byte order.
 */
final class DelayedPipe {

    private static final int CHUNK_BYTES = 64 * 1024;
    /**
     * Bytes read but not yet written. Bounds memory when the receiver is slower than the sender;
     * it is far above the bandwidth-delay product the mesh needs, so it never limits throughput
     * that the receiver could take.
     */
    private static final int MAX_BYTES_IN_FLIGHT = 8 * 1024 * 1024;
    /** Marks the end of the stream: the writer half-closes its side when it gets here. */
    private static final Chunk END_OF_STREAM = new Chunk(0, new byte[0]);

    /** Callbacks into the connection that owns the pipe. */
    interface Owner {
        /** The input ended normally and the EOF has been passed on. */
        void pipeFinished(DelayedPipe pipe);

        /** Reading or writing failed; the whole connection must go. */
        void pipeFailed(DelayedPipe pipe, IOException error);
    }

    private record Chunk(long deliverAtNanos, byte[] bytes) {
    }

    private final String name;
    private final Socket source;
    private final Socket sink;
    private final long delayNanos;
    private final AtomicLong bytesForwarded;
    private final Owner owner;
    private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    private final Semaphore budget = new Semaphore(MAX_BYTES_IN_FLIGHT);
    private final Thread reader;
    private final Thread writer;
    private volatile boolean stopped;

    DelayedPipe(String name, Socket source, Socket sink, long delayNanos, AtomicLong bytesForwarded, Owner owner) {
        this.name = name;
        this.source = source;
        this.sink = sink;
        this.delayNanos = delayNanos;
        this.bytesForwarded = bytesForwarded;
        this.owner = owner;
        this.reader = daemon(name + "-read", this::readLoop);
        this.writer = daemon(name + "-write", this::writeLoop);
    }

    String name() {
        return name;
    }

    void start() {
        reader.start();
        writer.start();
    }

    /**
     * Stops both threads. The interrupts wake a writer waiting for data or its deadline and a
     * reader waiting for budget; a reader blocked in read() wakes when the owner closes its socket.
     */
    void stop() {
        stopped = true;
        writer.interrupt();
        reader.interrupt();
    }

    private void readLoop() {
        byte[] buffer = new byte[CHUNK_BYTES];
        try {
            InputStream in = source.getInputStream();
            while (!stopped) {
                int n = in.read(buffer);
                if (n < 0) {
                    queue.add(END_OF_STREAM);
                    return;
                }
                long deliverAt = System.nanoTime() + delayNanos;
                budget.acquire(n);
                queue.add(new Chunk(deliverAt, Arrays.copyOf(buffer, n)));
            }
        } catch (IOException e) {
            if (!stopped) {
                owner.pipeFailed(this, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = sink.getOutputStream();
            while (!stopped) {
                Chunk chunk = queue.take();
                if (chunk == END_OF_STREAM) {
                    sink.shutdownOutput();
                    owner.pipeFinished(this);
                    return;
                }
                if (!awaitDeadline(chunk.deliverAtNanos())) {
                    return;
                }
                out.write(chunk.bytes());
                out.flush();
                budget.release(chunk.bytes().length);
                bytesForwarded.addAndGet(chunk.bytes().length);
            }
        } catch (IOException e) {
            if (!stopped) {
                owner.pipeFailed(this, e);
            }
        } catch (InterruptedException e) {
            // stop() interrupts us while we wait for the next chunk; nothing left to do.
            Thread.currentThread().interrupt();
        }
    }

    /** Parks until the deadline; false if the pipe was stopped meanwhile. */
    private boolean awaitDeadline(long deadlineNanos) {
        long remaining;
        while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, remaining);
            if (stopped) {
                return false;
            }
        }
        return !stopped;
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
