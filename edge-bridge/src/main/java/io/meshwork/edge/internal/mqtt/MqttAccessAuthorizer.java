package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicName;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.EdgeAuth;
import java.util.Optional;

/**
 * MQTT's side of the edge's authorisation (only registered with auth on): a SUBSCRIBE filter the
 * principal may not receive every topic of gets SUBACK 0x87 "not authorized" (MQTT 3.1.1: 0x80) and
 * is never recorded as interest; a shared subscription ({@code $share/g/filter}) is judged by its
 * inner filter. Everything else goes on to the edge's own rules ({@link MqttSubscriptionAuthorizer}).
 *
 * <p>Publishes: HiveMQ calls its publish authorizer only after the publish interceptors, and
 * {@link MqttPublishInterceptor} takes every PUBLISH away from HiveMQ, so that interceptor applies
 * {@link #publishRefusal} itself (PUBACK 0x87; MQTT 3.1.1: the connection is closed, as 3.1.1 has
 * no negative acknowledgement). The authorizer applies it too, for any publish HiveMQ would still
 * handle itself.
 */
final class MqttAccessAuthorizer implements SubscriptionAuthorizer, PublishAuthorizer {

    private final EdgeAuth auth;
    private final MqttSubscriptionAuthorizer subscriptions;
    private final MqttRevocations revocations;

    MqttAccessAuthorizer(EdgeAuth auth, MqttSubscriptionAuthorizer subscriptions, MqttRevocations revocations) {
        this.auth = auth;
        this.subscriptions = subscriptions;
        this.revocations = revocations;
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        MqttTopicFilter filter;
        try {
            filter = MqttTopicFilter.parse(input.getSubscription().getTopicFilter());
        } catch (IllegalArgumentException e) {
            subscriptions.authorizeSubscribe(input, output); // answers the invalid filter as it always has
            return;
        }
        ConnectionAttributeStore connection = input.getConnectionInformation().getConnectionAttributeStore();
        Access access = MqttAuthentication.access(auth, connection);
        try {
            access.checkSubscribe(filter.pattern());
        } catch (Refusal refusal) {
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, refusal.getMessage());
            return;
        }
        // Watched from now on: an ACL change that no longer allows the filter cuts it from the session.
        revocations.granted(input.getClientInformation().getClientId(), connection,
                input.getConnectionInformation().getMqttVersion(), access, filter.filter(), filter.pattern());
        subscriptions.authorizeSubscribe(input, output);
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        Refusal refusal = publishRefusal(auth, input.getConnectionInformation().getConnectionAttributeStore(),
                input.getPublishPacket().getTopic()).orElse(null);
        if (refusal != null) {
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, refusal.getMessage());
        } else {
            output.authorizeSuccessfully();
        }
    }

    /** Why the connection's principal may not publish on {@code topic}; empty when it may, or the topic is not a mesh topic (refused elsewhere with 0x90). */
    static Optional<Refusal> publishRefusal(EdgeAuth auth, ConnectionAttributeStore connection, String topic) {
        TopicName name;
        try {
            name = TopicName.of(topic);
        } catch (InvalidTopicException e) {
            return Optional.empty();
        }
        try {
            MqttAuthentication.access(auth, connection).checkPublish(name);
            return Optional.empty();
        } catch (Refusal refusal) {
            return Optional.of(refusal);
        }
    }
}
