package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.meshwork.edge.internal.auth.EdgeAuth;
import java.util.concurrent.CompletableFuture;

/**
 * The edge's embedded HiveMQ extension: wires the mesh into one broker instance.
 *
 * <p>Everything is taken from {@link Services} here and only here. Several brokers run in one
 * JVM (one per region in the embedded mesh) and {@code Services} is a static registry that the
 * instance started last overwrites; the registries called below belong to this instance only
 * while its start is in progress, which {@link MqttListener} serializes. Interceptors, the
 * authorizer and lifecycle listeners are called by their own instance afterwards.
 */
final class MeshExtension implements ExtensionMain {

    private final MqttSubscriber subscriber;
    private final ExtensionExecutor answers;
    private final MqttPublishInterceptor publishes;
    private final MqttSubscriptionAuthorizer subscriptions;
    private final MqttUnsubscribeInterceptor unsubscribes;
    private final MqttSessions sessions;
    private final MqttWills wills;
    private final MqttDeliveryInterceptor deliveries;
    private final MqttRetainedStore retained;
    private final HeldSubscriptions held;
    private final MqttQueueOverflow overflow;
    private final RestoredSessions restored;
    private final MqttGroups groups;
    private final EdgeAuth auth;
    private final MqttTokenExpiry tokenExpiry;
    private final MqttGroupMembers groupMembers;
    private final MqttRevocations revocations;
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    MeshExtension(MqttSubscriber subscriber, ExtensionExecutor answers, MqttPublishInterceptor publishes, MqttSubscriptionAuthorizer subscriptions,
                  MqttUnsubscribeInterceptor unsubscribes, MqttSessions sessions, MqttWills wills, MqttDeliveryInterceptor deliveries,
                  MqttRetainedStore retained, HeldSubscriptions held, MqttQueueOverflow overflow, RestoredSessions restored,
                  MqttGroups groups, EdgeAuth auth, MqttTokenExpiry tokenExpiry, MqttGroupMembers groupMembers,
                  MqttRevocations revocations) {
        this.groupMembers = groupMembers;
        this.auth = auth;
        this.revocations = revocations;
        this.tokenExpiry = tokenExpiry;
        this.subscriber = subscriber;
        this.answers = answers;
        this.publishes = publishes;
        this.subscriptions = subscriptions;
        this.unsubscribes = unsubscribes;
        this.sessions = sessions;
        this.wills = wills;
        this.deliveries = deliveries;
        this.retained = retained;
        this.held = held;
        this.overflow = overflow;
        this.restored = restored;
        this.groups = groups;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        try {
            subscriber.bind(Services.publishService());
            groupMembers.bind(Services.publishService(), Services.subscriptionStore());
            publishes.receipts().bind(Services.clientService());
            answers.bind(Services.extensionExecutorService());
            deliveries.bind(Services.subscriptionStore());
            retained.bind(Services.retainedMessageStore());
            held.bind(Services.subscriptionStore());
            overflow.bind(Services.metricRegistry());
            restored.bind(Services.subscriptionStore(), Services.clientService());
            if (auth.enabled()) {
                tokenExpiry.bind(Services.clientService());
                revocations.bind(Services.subscriptionStore(), Services.clientService());
                MqttAuthentication authentication = new MqttAuthentication(auth, wills, tokenExpiry, revocations);
                MqttAccessAuthorizer authorizer = new MqttAccessAuthorizer(auth, subscriptions, revocations);
                Services.securityRegistry().setAuthenticatorProvider(providerInput -> authentication);
                Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
            } else {
                Services.securityRegistry().setAuthorizerProvider(providerInput -> subscriptions);
            }
            Services.eventRegistry().setClientLifecycleEventListener(providerInput -> sessions);
            Services.interceptorRegistry().setConnectInboundInterceptorProvider(providerInput -> wills);
            Services.initializerRegistry().setClientInitializer((initializerInput, client) -> {
                client.addPublishInboundInterceptor((publish, answer) -> {
                    overflow.publishIntercepted(); // HiveMQ counts the prevented delivery as a drop
                    publishes.onInboundPublish(publish, answer);
                });
                client.addPubrecOutboundInterceptor(publishes.receipts());
                client.addPubrelInboundInterceptor(publishes.receipts());
                client.addUnsubscribeInboundInterceptor(groups); // first: the next one needs the rewritten filters
                client.addUnsubscribeInboundInterceptor(unsubscribes);
                client.addDisconnectInboundInterceptor(sessions);
                client.addSubscribeInboundInterceptor(deliveries);
                client.addSubscribeInboundInterceptor(groups);
                client.addPublishOutboundInterceptor(overflow.counting(deliveries));
                if (auth.enabled()) {
                    client.addUnsubscribeInboundInterceptor(revocations);
                    client.addPublishOutboundInterceptor(overflow.counting(revocations));
                }
            });
            started.complete(null);
        } catch (RuntimeException e) {
            started.completeExceptionally(e);
            output.preventExtensionStartup("meshwork extension failed to start: " + e);
        }
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // Nothing to release: the listener stops the broker and withdraws the interest.
    }

    /** Completes once {@link #extensionStart} wired this instance. */
    CompletableFuture<Void> started() {
        return started;
    }
}
