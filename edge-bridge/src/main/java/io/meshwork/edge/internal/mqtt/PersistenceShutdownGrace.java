package io.meshwork.edge.internal.mqtt;

import com.hivemq.configuration.service.InternalConfigurations;

/**
 * How long HiveMQ's persistences keep taking writes after its stop began.
 *
 * <p>HiveMQ holds each persistence's close for this grace period (some after others), so that
 * writes enqueued just before the stop still land: with its default of 2 s an embedded broker
 * took 4–5 s to stop, most of an edge's stop time. The edge stops feeding its
 * broker before it stops it (the Kafka delivery is unbound first) and HiveMQ closes its client
 * connections before its persistences, so what is left to land is in flight already; a quarter
 * of a second covers it. Like {@link InflightWindow}, a public static of HiveMQ CE, one value per
 * JVM.
 */
final class PersistenceShutdownGrace {

    static final int MILLIS = 250;

    private PersistenceShutdownGrace() {
    }

    static void apply() {
        InternalConfigurations.PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC.set(MILLIS);
    }
}
