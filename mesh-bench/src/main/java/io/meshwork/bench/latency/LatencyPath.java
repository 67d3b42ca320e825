package io.meshwork.bench.latency;

import io.meshwork.bench.harness.LatencyRecorder;

/** One publish → deliver path under test: a real publishing client and a real subscriber. */
interface LatencyPath extends AutoCloseable {

    String name();

    /** Connects the subscriber (recording into {@code recorder}) and waits until it is subscribed. */
    void open(LatencyRecorder recorder) throws Exception;

    /** Publishes one event of {@code size} bytes scheduled at {@code scheduledNanos}; must not block on the answer. */
    void publish(long sequence, long scheduledNanos, int size) throws Exception;

    /** Publishes that failed (answered with an error) so far. */
    long failures();
}
