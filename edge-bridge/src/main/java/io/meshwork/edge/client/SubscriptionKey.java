package io.meshwork.edge.client;

import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.util.Objects;

/** A subscription's identity on a stream, as the edge's confirmations name it: pattern and selector. */
record SubscriptionKey(String pattern, String selector) {

    SubscriptionKey {
        Objects.requireNonNull(pattern, "pattern");
        selector = selector == null ? "" : selector.strip();
    }

    static SubscriptionKey of(SubscriptionRequest request) {
        return new SubscriptionKey(request.getTopicPattern(), request.getFilterExpression());
    }

    static SubscriptionKey of(StreamControl control) {
        return new SubscriptionKey(control.getTopicPattern(), control.getFilterExpression());
    }
}
