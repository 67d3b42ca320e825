package io.meshwork.edge.internal.mqtt;

import java.util.Set;

/**
 * The CloudEvents extension attributes in which an MQTT PUBLISH's own properties travel through
 * the mesh (Kafka, links, other regions), and the one list of attributes that are the mesh's
 * bookkeeping for MQTT: they are turned back into MQTT properties on delivery, never into user
 * properties. Names follow the CloudEvents naming rules ({@code a-z0-9}, at most 20 characters).
 */
final class MqttAttributes {

    /** The PUBLISH's user properties, in packet order with repeated names, as a JSON array of [name, value] pairs. */
    static final String USER_PROPERTIES = "mqttuserproperties";
    /** Payload format indicator: 0 (unspecified bytes) or 1 (UTF-8), only when the PUBLISH carried one. */
    static final String PAYLOAD_FORMAT = "mqttpayloadformat";
    /** Message expiry interval in seconds as published; counted down from the event's publish time on delivery. */
    static final String MESSAGE_EXPIRY = "mqttmessageexpiry";
    /** Response topic (request/response, MQTT 5 section 4.10). */
    static final String RESPONSE_TOPIC = "mqttresponsetopic";
    /** Correlation data, base64 (standard alphabet, padded): it is binary. */
    static final String CORRELATION_DATA = "mqttcorrelationdata";
    /** Client id of the MQTT publisher, so that no-local subscriptions can skip its own messages. */
    static final String CLIENT_ID = "mqttclientid";
    /** QoS the PUBLISH (or will) was sent with, 0, 1 or 2: deliveries are handed to the broker at it ({@link PublishQos}). */
    static final String QOS = "mqttqos";
    /**
     * "true" when the PUBLISH (or will) had the RETAIN flag: live deliveries go out with RETAIN 0,
     * except to subscriptions with retain-as-published (MQTT 5 section 3.8.3.1).
     */
    static final String RETAIN = "mqttretain";

    /**
     * Attributes that are never handed to MQTT subscribers as user properties, because the edge
     * restores them as what they were (or uses them itself). Attributes other MQTT features add
     * for their own sake belong here too, one line each.
     */
    static final Set<String> BOOKKEEPING = Set.of(
            USER_PROPERTIES,
            PAYLOAD_FORMAT,
            MESSAGE_EXPIRY,
            RESPONSE_TOPIC,
            CORRELATION_DATA,
            CLIENT_ID,
            QOS,
            RETAIN);

    private MqttAttributes() {
    }

    static boolean isBookkeeping(String attribute) {
        return BOOKKEEPING.contains(attribute);
    }
}
