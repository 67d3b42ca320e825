package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.interceptor.unsubscribe.UnsubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases the interest of each filter an UNSUBSCRIBE removes, or ends the consumer group
 * membership it stands for (the filters come rewritten by {@link MqttGroups}); HiveMQ then drops
 * the subscriptions.
 */
final class MqttUnsubscribeInterceptor implements UnsubscribeInboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(MqttUnsubscribeInterceptor.class);

    private final MqttInterest interest;
    private final MqttGroupMembers groupMembers;
    private final String region;

    MqttUnsubscribeInterceptor(MqttInterest interest, MqttGroupMembers groupMembers, String region) {
        this.interest = interest;
        this.groupMembers = groupMembers;
        this.region = region;
    }

    @Override
    public void onInboundUnsubscribe(UnsubscribeInboundInput input, UnsubscribeInboundOutput output) {
        String clientId = input.getClientInformation().getClientId();
        for (String filter : input.getUnsubscribePacket().getTopicFilters()) {
            release(clientId, filter);
            LOG.debug("region {}: MQTT client {} unsubscribed from '{}'", region, clientId, filter);
        }
    }

    /** What the session's filter held ends: its interest, or its consumer group membership (also when an ACL change cut it). */
    void release(String clientId, String filter) {
        if (!groupMembers.leave(clientId, filter)) {
            interest.remove(clientId, filter);
        }
    }
}
