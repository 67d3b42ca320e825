package io.meshwork.bench.harness;

/** Called by a benchmark subscriber for each event it receives. */
@FunctionalInterface
public interface Delivery {

    /**
     * @param topic          the event's mesh topic
     * @param publishedNanos the time the payload carries ({@link Payloads#timed}), -1 if none
     * @param receivedNanos  {@code System.nanoTime()} on arrival
     */
    void delivered(String topic, long publishedNanos, long receivedNanos);
}
