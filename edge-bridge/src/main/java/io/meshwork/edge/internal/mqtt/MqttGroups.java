package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.UnsubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.UserProperties;
import com.hivemq.extension.sdk.api.packets.subscribe.ModifiableSubscription;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.stream.SubscriptionRequests;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer groups for MQTT clients (DESIGN.md 2.6): a SUBSCRIBE with the user property
 * {@value #GROUP_PROPERTY}{@code =<name>} makes each of its filters a member of the mesh consumer
 * group {@code <name>}, as MQTT's own {@code $share/<name>/<filter>} (MQTT 5 section 4.8.2, and
 * HiveMQ's MQTT 3.1.1 extension) does; an UNSUBSCRIBE with the same property, or of the
 * {@code $share} filter, removes them. Either way HiveMQ is made to hold the filter as
 * {@link MqttTopicFilter#held}, a plain subscription that only the group's chosen member's events
 * match ({@link MqttGroupMembers}), so HiveMQ's own shared-subscription balancing, which knows
 * only this edge's sessions, never serves it. A filter that is already shared keeps its own
 * share name.
 *
 * <p>A bad name is not refused here: {@link MqttSubscriptionAuthorizer}, which alone can refuse
 * one filter with a reason, refuses it naming {@code group} ({@link #refusal}). Interceptors run
 * before the authorizer, and an interceptor added before {@link MqttUnsubscribeInterceptor} hands
 * it the rewritten filters.
 */
final class MqttGroups implements SubscribeInboundInterceptor, UnsubscribeInboundInterceptor {

    /** The SUBSCRIBE / UNSUBSCRIBE user property naming the consumer group. */
    static final String GROUP_PROPERTY = "group";

    private static final Logger LOG = LoggerFactory.getLogger(MqttGroups.class);

    private final String region;

    MqttGroups(String region) {
        this.region = region;
    }

    @Override
    public void onInboundSubscribe(SubscribeInboundInput input, SubscribeInboundOutput output) {
        Optional<String> group = validGroup(input.getSubscribePacket().getUserProperties());
        for (ModifiableSubscription subscription : output.getSubscribePacket().getSubscriptions()) {
            String filter = subscription.getTopicFilter();
            Optional<String> held = held(filter, group);
            if (held.isPresent()) {
                subscription.setTopicFilter(held.get());
                LOG.debug("region {}: MQTT client {} subscribes to '{}' as consumer group member '{}'", region,
                        input.getClientInformation().getClientId(), filter, held.get());
            }
        }
    }

    @Override
    public void onInboundUnsubscribe(UnsubscribeInboundInput input, UnsubscribeInboundOutput output) {
        Optional<String> group = validGroup(input.getUnsubscribePacket().getUserProperties());
        List<String> filters = output.getUnsubscribePacket().getTopicFilters().stream()
                .map(filter -> held(filter, group).orElse(filter))
                .toList();
        output.getUnsubscribePacket().setTopicFilters(filters);
    }

    /**
     * Why a SUBSCRIBE's group cannot be honoured for {@code filter} (as HiveMQ holds it, after
     * {@link #onInboundSubscribe}), naming {@code group}: a share name or {@value #GROUP_PROPERTY}
     * that is no valid group name, or a property contradicting the filter's share name; empty
     * when it can, or the filter is no group's.
     */
    static Optional<Refusal> refusal(UserProperties properties, MqttTopicFilter filter) {
        List<String> names = properties.getAllForName(GROUP_PROPERTY);
        if (names.isEmpty()) {
            if (!filter.shared()) {
                return Optional.empty();
            }
            try {
                SubscriptionRequests.group(filter.group()); // a share name must be a mesh group name too
                return Optional.empty();
            } catch (Refusal refusal) {
                return Optional.of(refusal);
            }
        }
        String name = names.get(0);
        try {
            if (SubscriptionRequests.group(name).isEmpty()) {
                return Optional.of(new Refusal(io.meshwork.edge.internal.ClientError.INVALID_GROUP, GROUP_PROPERTY,
                        "group must not be empty"));
            }
        } catch (Refusal refusal) {
            return Optional.of(refusal);
        }
        if (names.stream().anyMatch(other -> !other.equals(name))) {
            return Optional.of(new Refusal(io.meshwork.edge.internal.ClientError.INVALID_GROUP, GROUP_PROPERTY,
                    "group is given more than once with different names"));
        }
        if (!filter.group().equals(name)) {
            return Optional.of(new Refusal(io.meshwork.edge.internal.ClientError.INVALID_GROUP, GROUP_PROPERTY,
                    "group '" + name + "' contradicts the shared subscription '$share/" + filter.group() + "/"
                            + filter.pattern().value() + "'"));
        }
        return Optional.empty();
    }

    private static Optional<String> validGroup(UserProperties properties) {
        Optional<String> name = properties.getFirst(GROUP_PROPERTY);
        try {
            return name.flatMap(SubscriptionRequests::group);
        } catch (Refusal refusal) {
            return Optional.empty(); // left to the authorizer, which refuses it with a reason
        }
    }

    /** How HiveMQ is to hold a client's filter: as a group member's, or empty when it is no group's. */
    private static Optional<String> held(String filter, Optional<String> group) {
        Optional<String> shared = MqttTopicFilter.heldForm(filter);
        if (shared.isPresent() || filter.startsWith(MqttTopicFilter.GROUP_PREFIX)) {
            return shared;
        }
        return group.map(name -> MqttTopicFilter.held(name, filter));
    }
}
