package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.UnsubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.TokenExpiry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts an MQTT subscription that an ACL change no longer allows (only registered with auth on).
 * Each filter a SUBSCRIBE was granted is watched ({@link Access#whileAllowed}) for as long as the
 * connection holds it. When cut, the filter is removed from the session in HiveMQ's
 * {@link SubscriptionStore} and its interest (or consumer group membership) withdrawn; then an
 * MQTT 5 client is disconnected with 0x87 "not authorized" and a reason string naming the
 * filter. MQTT 5 has no packet that ends one
 * subscription from the server's side, and a silent removal would leave the client believing it
 * still receives; a persistent session keeps its other subscriptions across the reconnect. An MQTT
 * 3.1.1 client, which has no server DISCONNECT, keeps its connection and other subscriptions: the
 * filter just ends (logged and counted here).
 *
 * <p>Nothing of a cut filter is delivered afterwards: messages HiveMQ had already queued or had in
 * flight for the client are stopped here, as an outbound PUBLISH interceptor, when their topic
 * matches a cut filter and the principal may no longer receive it; each is counted
 * ({@code mesh_edge_auth_revoked_dropped_total}).
 *
 * <p>HiveMQ disconnects by client id, so the watches belong to one connection (a key in its
 * attributes): a client that reconnected is never cut for its previous connection's filters.
 */
final class MqttRevocations implements UnsubscribeInboundInterceptor, PublishOutboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(MqttRevocations.class);
    private static final String CONNECTION = "meshwork.grants";

    /** The watched filters of one connection. */
    private record Held(String connection, Map<String, TokenExpiry.Watch> filters) {
    }

    /** The filters cut from a client's session, the access deciding what it may still receive, whether a drop was logged. */
    private record Cut(Access access, List<TopicPattern> patterns, AtomicBoolean dropLogged) {
    }

    private final String region;
    private final BiConsumer<String, String> release;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, Cut> cut = new ConcurrentHashMap<>();
    // Captured in extensionStart, like every HiveMQ service (see MeshExtension).
    private volatile SubscriptionStore subscriptions;
    private volatile ClientService clients;

    /** @param release ends what a client's filter holds (interest or group membership), as an UNSUBSCRIBE does */
    MqttRevocations(String region, BiConsumer<String, String> release) {
        this.region = region;
        this.release = release;
    }

    void bind(SubscriptionStore subscriptions, ClientService clients) {
        this.subscriptions = subscriptions;
        this.clients = clients;
    }

    /** {@code filter} (as the client sent it; {@code pattern} its mesh pattern) was just granted to the connection. */
    void granted(String clientId, ConnectionAttributeStore connection, MqttVersion version, Access access, String filter,
                 TopicPattern pattern) {
        String key = connection.getAsString(CONNECTION).orElseGet(() -> {
            String fresh = UUID.randomUUID().toString();
            connection.putAsString(CONNECTION, fresh);
            return fresh;
        });
        Held mine = held.compute(clientId, (id, old) -> {
            if (old != null && !old.connection().equals(key)) {
                old.filters().values().forEach(TokenExpiry.Watch::cancel); // a previous connection's, ended unnoticed
                old = null;
            }
            return old != null ? old : new Held(key, new ConcurrentHashMap<>());
        });
        boolean mqtt5 = version == MqttVersion.V_5;
        TokenExpiry.Watch watch = access.whileAllowed(pattern, "client " + clientId,
                refusal -> cut(clientId, key, filter, pattern, access, mqtt5, refusal));
        TokenExpiry.Watch previous = mine.filters().put(filter, watch);
        if (previous != null) {
            previous.cancel(); // subscribed again: one watch per filter
        }
    }

    /**
     * A client resumed a persistent session: the filters HiveMQ kept for it are watched on this
     * connection, and each one an ACL change made while it was away no longer allows is cut now.
     */
    void resumed(String clientId, ConnectionAttributeStore connection, MqttVersion version, Access access) {
        SubscriptionStore store = subscriptions;
        if (store == null) {
            return;
        }
        store.getSubscriptions(clientId).whenComplete((subscribed, error) -> {
            if (error != null) {
                LOG.warn("region {}: MQTT client {}: reading its session's subscriptions failed: {}", region, clientId,
                        error.toString());
                return;
            }
            for (TopicSubscription subscription : subscribed) {
                try {
                    MqttTopicFilter filter = MqttTopicFilter.parse(subscription.getTopicFilter());
                    granted(clientId, connection, version, access, filter.filter(), filter.pattern());
                } catch (IllegalArgumentException e) {
                    LOG.debug("region {}: MQTT client {}: session filter '{}' is no mesh pattern: {}", region, clientId,
                            subscription.getTopicFilter(), e.getMessage());
                }
            }
        });
    }

    /** The connection ended: its filters are no longer watched (a new connection's SUBSCRIBEs are checked anew). */
    void ended(String clientId, ConnectionAttributeStore connection) {
        connection.getAsString(CONNECTION).ifPresent(key -> {
            Held mine = held.get(clientId);
            if (mine != null && mine.connection().equals(key) && held.remove(clientId, mine)) {
                mine.filters().values().forEach(TokenExpiry.Watch::cancel);
            }
        });
    }

    /** A clean start: the session, and what was cut from it, is gone. */
    void sessionCleared(String clientId) {
        cut.remove(clientId);
    }

    @Override
    public void onInboundUnsubscribe(UnsubscribeInboundInput input, UnsubscribeInboundOutput output) {
        Held mine = held.get(input.getClientInformation().getClientId());
        if (mine != null) {
            for (String filter : input.getUnsubscribePacket().getTopicFilters()) {
                TokenExpiry.Watch watch = mine.filters().remove(filter);
                if (watch != null) {
                    watch.cancel();
                }
            }
        }
    }

    @Override
    public void onOutboundPublish(PublishOutboundInput input, PublishOutboundOutput output) {
        Cut cutHere = cut.get(input.getClientInformation().getClientId());
        if (cutHere == null) {
            return; // the common case: nothing was ever cut from this client
        }
        String topic = output.getPublishPacket().getTopic();
        TopicName name;
        try {
            name = TopicName.of(topic);
        } catch (IllegalArgumentException e) {
            return;
        }
        for (TopicPattern pattern : cutHere.patterns()) {
            if (pattern.matches(name) && !cutHere.access().mayReceive(name)) {
                output.preventPublishDelivery();
                // One line per cut, however many messages HiveMQ still had under way; each one is counted.
                cutHere.access().droppedAtCut("client " + input.getClientInformation().getClientId(), pattern.value(), 1,
                        cutHere.dropLogged().compareAndSet(false, true));
                return;
            }
        }
    }

    private void cut(String clientId, String key, String filter, TopicPattern pattern, Access access, boolean mqtt5,
                     Refusal refusal) {
        Held mine = held.get(clientId);
        if (mine == null || !mine.connection().equals(key) || mine.filters().remove(filter) == null) {
            return; // unsubscribed, or the connection ended, meanwhile
        }
        cut.compute(clientId, (id, old) -> {
            List<TopicPattern> patterns = old == null ? new CopyOnWriteArrayList<>() : old.patterns();
            if (!patterns.contains(pattern)) {
                patterns.add(pattern);
            }
            return new Cut(access, patterns, new AtomicBoolean());
        });
        SubscriptionStore store = subscriptions;
        if (store == null) {
            return;
        }
        // Only a filter the session really holds (the SUBSCRIBE may have been refused after the access check).
        store.getSubscriptions(clientId).thenCompose(subscribed -> {
            boolean holds = subscribed.stream().map(TopicSubscription::getTopicFilter).anyMatch(filter::equals);
            if (!holds) {
                return CompletableFuture.completedFuture(false);
            }
            release.accept(clientId, filter);
            return store.removeSubscription(clientId, filter).thenApply(removed -> true);
        }).whenComplete((removed, error) -> {
            if (error != null) {
                LOG.warn("region {}: MQTT client {}: removing the revoked subscription '{}' failed: {}", region, clientId, filter,
                        error.toString());
            } else if (Boolean.TRUE.equals(removed) && mqtt5 && clients != null) {
                clients.disconnectClient(clientId, false, DisconnectReasonCode.NOT_AUTHORIZED,
                        "subscription '" + filter + "' revoked: " + refusal.getMessage()).exceptionally(gone -> null);
            }
        });
    }

    @Override
    public String toString() {
        return "MQTT subscription revocations of " + region + " (" + held.size() + " connections)";
    }
}
