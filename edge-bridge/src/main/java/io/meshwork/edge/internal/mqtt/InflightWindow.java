package io.meshwork.edge.internal.mqtt;

import com.hivemq.configuration.service.InternalConfigurations;

/**
 * How many QoS 1 and 2 messages HiveMQ sends one client before it waits for PUBACKs/PUBRECs.
 *
 * <p>HiveMQ CE has no setting for it: {@code InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES}
 * is a plain static field (50), read on every send by {@code OrderedTopicService} and by the poll
 * of a client's queue, and bounded per client by an MQTT 5 client's receive maximum. It is a
 * public, non-final field, so the edge sets it before its broker starts. Being static, it is one
 * value per JVM: edges sharing a JVM share it (the last started wins).
 */
final class InflightWindow {

    private InflightWindow() {
    }

    static void set(int messages) {
        if (messages < 1 || messages > 65_535) {
            throw new IllegalArgumentException("MQTT in-flight window must be within 1..65535: " + messages);
        }
        InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = messages;
    }

    static int current() {
        return InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES;
    }
}
