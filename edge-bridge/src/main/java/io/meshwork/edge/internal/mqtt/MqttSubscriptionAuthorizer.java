package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import io.meshwork.core.topic.InvalidTopicException;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.delivery.RoutedReadiness;
import io.meshwork.edge.internal.interest.MeshActivation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks each topic filter of a SUBSCRIBE against the mesh's pattern rules and records the
 * accepted ones as interest before HiveMQ answers with the SUBACK, so that an event published
 * after the SUBACK reaches the client.
 *
 * <p>A refused filter gets its own SUBACK failure code (MQTT 5: 0x8F "topic filter invalid" with
 * a reason string naming the problem; MQTT 3.1.1: 0x80); the client's other filters, in the same
 * SUBSCRIBE or earlier ones, are unaffected. Filters HiveMQ already finds malformed (say
 * {@code a/#/b}) never get here: HiveMQ closes the connection, as MQTT requires for a
 * malformed packet.
 *
 * <p>An authorizer (not a SUBSCRIBE interceptor) because only an authorizer can refuse one
 * filter of a SUBSCRIBE with its own reason code.
 */
final class MqttSubscriptionAuthorizer implements SubscriptionAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSubscriptionAuthorizer.class);

    private final MqttInterest interest;
    private final HeldSubscriptions heldSubscriptions;
    private final String region;
    private final MeshActivation activation;
    private final Duration hold;
    private final MqttDeliveryPolicy deliveryPolicy;
    private final MqttGroupMembers groupMembers;

    /**
     * @param hold how long a SUBACK may wait for the subscription to be active in every region;
     *             {@link Duration#ZERO} answers at once
     */
    MqttSubscriptionAuthorizer(MqttInterest interest, HeldSubscriptions heldSubscriptions, String region,
                               MeshActivation activation, Duration hold, MqttDeliveryPolicy deliveryPolicy,
                               MqttGroupMembers groupMembers) {
        this.interest = interest;
        this.heldSubscriptions = heldSubscriptions;
        this.region = region;
        this.activation = activation;
        this.hold = hold;
        this.deliveryPolicy = deliveryPolicy;
        this.groupMembers = groupMembers;
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        String clientId = input.getClientInformation().getClientId();
        String filter = input.getSubscription().getTopicFilter();
        MqttTopicFilter parsed;
        try {
            parsed = MqttTopicFilter.parse(filter);
        } catch (IllegalArgumentException e) {
            String reason = e instanceof InvalidTopicException invalid ? "invalid topic filter: " + invalid.problem() : e.getMessage();
            LOG.debug("region {}: MQTT client {} refused subscription '{}': {}", region, clientId, filter, e.getMessage());
            output.failAuthorization(SubackReasonCode.TOPIC_FILTER_INVALID, reason);
            return;
        }
        String policyRefused = deliveryPolicy.refusal(input.getUserProperties()).orElse(null);
        if (policyRefused != null) {
            LOG.debug("region {}: MQTT client {} refused subscription '{}': {}", region, clientId, filter, policyRefused);
            output.failAuthorization(SubackReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, policyRefused);
            return;
        }
        Refusal badGroup = MqttGroups.refusal(input.getUserProperties(), parsed).orElse(null);
        if (badGroup != null) {
            LOG.debug("region {}: MQTT client {} refused subscription '{}': {}", region, clientId, filter, badGroup.getMessage());
            output.failAuthorization(SubackReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, badGroup.field() + ": " + badGroup.getMessage());
            return;
        }
        CompletableFuture<Void> delivering;
        if (parsed.shared()) {
            // A consumer group member: the mesh group, not HiveMQ, picks the member of each event.
            delivering = groupMembers.join(clientId, parsed, HeldSubscriptions.asStored(input).orElse(null));
            LOG.debug("region {}: MQTT client {} joins group '{}' on '{}'", region, clientId, parsed.group(), parsed.pattern().value());
        } else {
            interest.add(clientId, parsed);
            LOG.debug("region {}: MQTT client {} subscribed to '{}'", region, clientId, filter);
            delivering = interest.whenDelivering(parsed.pattern());
        }
        if (hold.isZero() && delivering.isDone()) {
            output.authorizeSuccessfully();
            return;
        }
        // The SUBACK is the MQTT client's only confirmation: hold it until this edge delivers the
        // filter's events (routed delivery: until the region's router routes for it, which bounds
        // its own wait) and then until every region's router routes for it, for at most the hold;
        // when the time is up it is granted anyway (HiveMQ's fallback), the subscription being
        // active here and wherever it already propagated.
        Async<SubscriptionAuthorizerOutput> held = output.async(hold.plus(RoutedReadiness.DEFAULT_WAIT).plusSeconds(1),
                TimeoutFallback.SUCCESS);
        if (!parsed.shared()) { // a member's subscription is in its session already (MqttGroupMembers.join)
            heldSubscriptions.keepWhileHeld(input, MqttSessions.sessionExpiry(input.getConnectionInformation().getConnectionAttributeStore()));
        }
        delivering.thenCompose(ready -> hold.isZero() ? CompletableFuture.<Void>completedFuture(null)
                : activation.whenActive(parsed.pattern().value(), "").completeOnTimeout(null, hold.toMillis(), TimeUnit.MILLISECONDS))
                .thenRun(() -> {
            try {
                output.authorizeSuccessfully();
                held.resume();
            } catch (RuntimeException e) {
                LOG.debug("region {}: SUBACK for {} '{}' already answered: {}", region, clientId, filter, e.toString());
            }
        });
    }
}
