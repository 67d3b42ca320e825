package io.meshwork.edge.internal;

import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.internal.interest.MeshActivation;
import io.meshwork.edge.internal.publish.EventPublisher;
import io.meshwork.edge.internal.stream.SubscriptionRegistry;
import java.util.Objects;

/**
 * What a protocol listener shares with the rest of the edge: the settings, the subscription
 * registry (which also records interest for the mesh), the publisher to {@code mesh.events} and
 * the mesh-wide activation of subscriptions.
 */
public record EdgeContext(EdgeConfig config, SubscriptionRegistry registry, EventPublisher publisher,
                          MeshActivation activation) {

    public EdgeContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(activation, "activation");
    }
}
