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
 * Consumer groups for MQTT 5 clients (DESIGN.md 2.6): a SUBSCRIBE with the user property
 * {@value #GROUP_PROPERTY}{@code =<name>} makes each of its filters the shared subscription
 * {@code $share/<name>/<filter>} (MQTT 5 section 4.8.2), so HiveMQ gives each event to one
 * session of the group; an UNSUBSCRIBE with the same property removes them. A filter that is
 * already shared keeps its own share name.
 *
 * <p>A bad name is not rewritten here: {@link MqttSubscriptionAuthorizer}, which alone can refuse
 * one filter with a reason, refuses it naming {@code group} ({@link #refusal}). Interceptors run
 * before the authorizer, and an interceptor added before {@link MqttUnsubscribeInterceptor} hands
 * it the rewritten filters.
 */
final class MqttGroups implements SubscribeInboundInterceptor, UnsubscribeInboundInterceptor {

    /** The SUBSCRIBE / UNSUBSCRIBE user property naming the consumer group. */
    static final String GROUP_PROPERTY = "group";

    private static final Logger LOG = LoggerFactory.getLogger(MqttGroups.class);
    private static final String SHARE_PREFIX = "$share/";

    private final String region;

    MqttGroups(String region) {
        this.region = region;
    }

    @Override
    public void onInboundSubscribe(SubscribeInboundInput input, SubscribeInboundOutput output) {
        Optional<String> group = validGroup(input.getSubscribePacket().getUserProperties());
        if (group.isEmpty()) {
            return;
        }
        for (ModifiableSubscription subscription : output.getSubscribePacket().getSubscriptions()) {
            String filter = subscription.getTopicFilter();
            if (!filter.startsWith(SHARE_PREFIX)) {
                subscription.setTopicFilter(shared(group.get(), filter));
                LOG.debug("region {}: MQTT client {} subscribes to '{}' in group {}", region,
                        input.getClientInformation().getClientId(), filter, group.get());
            }
        }
    }

    @Override
    public void onInboundUnsubscribe(UnsubscribeInboundInput input, UnsubscribeInboundOutput output) {
        Optional<String> group = validGroup(input.getUnsubscribePacket().getUserProperties());
        if (group.isPresent()) {
            List<String> filters = output.getUnsubscribePacket().getTopicFilters().stream()
                    .map(filter -> filter.startsWith(SHARE_PREFIX) ? filter : shared(group.get(), filter))
                    .toList();
            output.getUnsubscribePacket().setTopicFilters(filters);
        }
    }

    /**
     * Why a SUBSCRIBE's group cannot be honoured for {@code filter} (as HiveMQ holds it, after
     * {@link #onInboundSubscribe}), naming {@code group}; empty when it can, or names none.
     */
    static Optional<Refusal> refusal(UserProperties properties, String filter) {
        List<String> names = properties.getAllForName(GROUP_PROPERTY);
        if (names.isEmpty()) {
            return Optional.empty();
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
        if (!filter.startsWith(shared(name, ""))) {
            return Optional.of(new Refusal(io.meshwork.edge.internal.ClientError.INVALID_GROUP, GROUP_PROPERTY,
                    "group '" + name + "' contradicts the shared subscription '" + filter + "'"));
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

    private static String shared(String group, String filter) {
        return SHARE_PREFIX + group + "/" + filter;
    }
}
