package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.interceptor.connect.ConnectInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundInput;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.WillPublishPacket;
import io.cloudevents.CloudEvent;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.ingress.Ingress;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last-will messages go through the mesh like every other publish. HiveMQ would deliver a will
 * to its own sessions only, past the publish interceptor, so the will is taken out of the CONNECT
 * here, kept as a mesh event, and written to {@code mesh.events} when MQTT says it is due: the
 * connection ended without a normal DISCONNECT, after the will delay (MQTT 5) unless the client
 * came back first. A will that is not a valid mesh event is dropped at CONNECT, with a log line.
 *
 * <p>A will with the retain flag is also kept as its topic's retained message ({@link MqttRetainedPublishes}).
 *
 * <p>Wills are held per connection (a key in the connection's attributes), not per client id: on
 * a session takeover the old connection's will is due while the new one already has its own.
 */
final class MqttWills implements ConnectInboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(MqttWills.class);
    private static final String WILL = "meshwork.will";

    /** A will waiting for its connection to end. */
    private record Will(CloudEvent event, long delaySeconds, boolean retain) {
    }

    private final MqttEventReader reader;
    private final Ingress ingress;
    private final io.meshwork.edge.internal.auth.EdgeAuth auth;
    private final ScheduledExecutorService timer;
    private final String region;
    private final MqttRetainedPublishes retained;
    private final Map<String, Will> held = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> delayed = new HashMap<>();

    /** @param ingress the MQTT listener's, so that wills count as MQTT publishes */
    MqttWills(MqttEventReader reader, Ingress ingress, ScheduledExecutorService timer, String region, MqttRetainedPublishes retained) {
        this(reader, ingress, timer, region, retained, null);
    }

    /** @param auth decides whether the client's principal may publish its will; {@code null}: auth off */
    MqttWills(MqttEventReader reader, Ingress ingress, ScheduledExecutorService timer, String region, MqttRetainedPublishes retained,
              io.meshwork.edge.internal.auth.EdgeAuth auth) {
        this.auth = auth;
        this.reader = reader;
        this.ingress = ingress;
        this.timer = timer;
        this.region = region;
        this.retained = retained;
    }

    @Override
    public void onConnect(ConnectInboundInput input, ConnectInboundOutput output) {
        WillPublishPacket will = input.getConnectPacket().getWillPublish().orElse(null);
        if (will == null) {
            return;
        }
        String clientId = input.getClientInformation().getClientId();
        output.getConnectPacket().setWillPublish(null);
        try {
            CloudEvent event = PublishQos.stamp(reader.read(clientId, will.getTopic(), MqttMessageProperties.of(will),
                    MqttPublishInterceptor.bytes(will.getPayload().orElse(null))), will.getQos());
            String key = UUID.randomUUID().toString();
            input.getConnectionInformation().getConnectionAttributeStore().putAsString(WILL, key);
            synchronized (this) {
                held.put(key, new Will(event, will.getWillDelay(), will.getRetain()));
            }
        } catch (Refusal e) {
            LOG.debug("region {}: MQTT client {} will on '{}' dropped: {}: {}", region, clientId, will.getTopic(), e.field(), e.getMessage());
        }
    }

    /**
     * Checks at CONNECT, once the client authenticated, that its principal may publish its will:
     * a will on a forbidden topic is dropped and the CONNECT refused (counted and logged by
     * {@code access}), so nothing waits for a will that could never be published.
     *
     * @throws Refusal naming {@code will_topic} when the principal may not publish there
     */
    void authorise(ConnectionAttributeStore connection, String clientId, io.meshwork.edge.internal.auth.Access access) {
        Will will;
        synchronized (this) {
            will = connection.getAsString(WILL).map(held::get).orElse(null);
        }
        if (will == null) {
            return;
        }
        String topic = String.valueOf(will.event().getExtension("meshtopic"));
        try {
            access.checkPublish(io.meshwork.core.topic.TopicName.of(topic));
        } catch (Refusal refused) {
            take(connection);
            LOG.info("region {}: MQTT client {} refused at CONNECT: its will on '{}' is not allowed: {}", region, clientId, topic,
                    refused.getMessage());
            throw new Refusal(refused.error(), "will_topic", refused.getMessage());
        }
    }

    /**
     * The connection ended without a normal DISCONNECT: its will is due, after the will delay but
     * no later than the session's end.
     */
    void connectionEnded(ConnectionAttributeStore connection, String clientId, long sessionExpirySeconds) {
        Will due = take(connection);
        if (due == null) {
            return;
        }
        if (auth != null && auth.enabled()) {
            // Allowed at CONNECT (authorise); checked again because the token may have expired since.
            try {
                MqttAuthentication.access(auth, connection).checkPublish(
                        io.meshwork.core.topic.TopicName.of(String.valueOf(due.event().getExtension("meshtopic"))));
            } catch (io.meshwork.edge.internal.Refusal refused) {
                LOG.info("region {}: will of MQTT client {} not published: {}", region, clientId, refused.getMessage());
                return;
            }
        }
        long delay = Math.min(due.delaySeconds(), sessionExpirySeconds);
        if (delay > 0) {
            synchronized (this) {
                delayed.put(clientId, timer.schedule(() -> fireDelayed(clientId, due), delay, TimeUnit.SECONDS));
            }
            return;
        }
        publish(clientId, due);
    }

    /** The connection ended with a normal DISCONNECT: the will is discarded. */
    void discard(ConnectionAttributeStore connection) {
        take(connection);
    }

    private synchronized Will take(ConnectionAttributeStore connection) {
        return connection.getAsString(WILL).map(held::remove).orElse(null);
    }

    /** The client is back before its delayed will was due: MQTT 5 says the will is not sent. */
    synchronized void cancel(String clientId) {
        ScheduledFuture<?> pending = delayed.remove(clientId);
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private void fireDelayed(String clientId, Will will) {
        synchronized (this) {
            if (delayed.remove(clientId) == null) {
                return;
            }
        }
        publish(clientId, will);
    }

    private void publish(String clientId, Will will) {
        CloudEvent event = will.event();
        // A will is received when it is due: that is when the edge starts publishing it.
        (will.retain() ? retained.publishWill(clientId, String.valueOf(will.event().getExtension("meshtopic")), will.event())
                : ingress.publish(System.nanoTime(), will::event)).whenComplete((accepted, error) -> {
            if (error == null) {
                LOG.debug("region {}: will {} of MQTT client {} published on {}", region, event.getId(), clientId,
                        event.getExtension("meshtopic"));
            } else {
                // The ingress warned of the broker failure already; this names the client.
                LOG.debug("region {}: will {} of MQTT client {} not written to mesh.events: {}", region, event.getId(), clientId,
                        Refusal.of(error).getMessage());
            }
        });
    }
}
