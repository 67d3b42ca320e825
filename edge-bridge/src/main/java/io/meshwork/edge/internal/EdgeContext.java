package io.meshwork.edge.internal;

import io.meshwork.core.auth.AuthSettings;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.EdgeAuth;
import io.meshwork.edge.internal.durable.DurableSubscriptions;
import io.meshwork.edge.internal.ingress.Ingress;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import io.meshwork.edge.internal.ingress.PublishThrottle;
import io.meshwork.edge.internal.interest.MeshActivation;
import io.meshwork.edge.internal.publish.EventPublisher;
import io.meshwork.edge.internal.schema.SchemaGate;
import io.meshwork.edge.internal.stream.SubscriptionRegistry;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a protocol listener shares with the rest of the edge: the settings, the subscription
 * registry (which also records interest for the mesh), the publisher to {@code mesh.events},
 * the mesh-wide activation of subscriptions, the durable subscriptions, the publish throttle and
 * the clients' authentication.
 */
public record EdgeContext(EdgeConfig config, SubscriptionRegistry registry, EventPublisher publisher,
                          MeshActivation activation, DurableSubscriptions durables, PublishThrottle throttle, EdgeAuth auth,
                          SchemaGate schemas) {

    /**
     * @param durables the edge's durable subscriptions; {@code null}: durable subscriptions are refused
     * @param throttle refuses publishes on topics a lagging durable subscription matches
     * @param auth     authenticates clients and checks their permissions (edge.auth.*)
     * @param schemas  checks published payloads against registry schemas (edge.schemas.*)
     */
    public EdgeContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(schemas, "schemas");
    }

    /** A context without durable subscriptions or publish throttle. */
    public EdgeContext(EdgeConfig config, SubscriptionRegistry registry, EventPublisher publisher, MeshActivation activation) {
        this(config, registry, publisher, activation, null, PublishThrottle.OFF, EdgeAuth.of(AuthSettings.OFF, config.region()),
                SchemaGate.OFF);
    }

    /**
     * The way into the mesh for publishes of {@code protocol}; create one per protocol.
     *
     * @param answers where the protocol's publishes are answered (its own threads)
     */
    public Ingress ingress(IngressProtocol protocol, Executor answers) {
        // MQTT publishes (wills too) are authorised by HiveMQ's publish authorizer before they get here.
        Access unchecked = protocol == IngressProtocol.MQTT ? Access.open() : auth.anonymous(protocol);
        return new Ingress(publisher, config.region(), config.brokerId(), protocol, answers, throttle, unchecked, schemas);
    }
}
