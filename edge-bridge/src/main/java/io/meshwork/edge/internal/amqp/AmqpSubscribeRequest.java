package io.meshwork.edge.internal.amqp;

import io.meshwork.schema.v1.SubscriptionRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.qpid.proton.amqp.DescribedType;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.Source;

/**
 * The subscription a client's receiver link asks for (DESIGN.md 2.6): its source address is the
 * topic pattern, an {@code apache.org:selector-filter:string} filter the selector; link properties
 * {@code delivery-policy} and {@code group} are the subscription fields of the other protocols.
 * Filters of other kinds are not applied, and so are left out of the source the edge answers with
 * (AMQP 1.0 section 3.5.8), which tells the client.
 */
record AmqpSubscribeRequest(SubscriptionRequest request, Map<Symbol, Object> appliedFilters) {

    /** The selector filter, by name (JMS, Apache Qpid) and by its registered numeric code. */
    static final Symbol SELECTOR_FILTER = Symbol.valueOf("apache.org:selector-filter:string");
    static final UnsignedLong SELECTOR_FILTER_CODE = UnsignedLong.valueOf(0x0000468C00000004L);
    static final Symbol DELIVERY_POLICY = Symbol.valueOf("delivery-policy");
    static final Symbol GROUP = Symbol.valueOf("group");

    AmqpSubscribeRequest {
        appliedFilters = Map.copyOf(appliedFilters);
    }

    static AmqpSubscribeRequest of(Source source, Map<Symbol, Object> linkProperties) {
        SubscriptionRequest.Builder request = SubscriptionRequest.newBuilder().setAction(SubscriptionRequest.Action.SUBSCRIBE);
        Map<Symbol, Object> applied = new LinkedHashMap<>();
        if (source != null && source.getAddress() != null) {
            request.setTopicPattern(source.getAddress());
        }
        if (source != null && source.getFilter() != null) {
            for (Map.Entry<?, ?> filter : ((Map<?, ?>) source.getFilter()).entrySet()) {
                if (filter.getValue() instanceof DescribedType described && isSelector(described.getDescriptor())) {
                    request.setFilterExpression(String.valueOf(described.getDescribed()));
                    applied.put(filter.getKey() instanceof Symbol key ? key : Symbol.valueOf(String.valueOf(filter.getKey())),
                            filter.getValue());
                }
            }
        }
        if (linkProperties != null) {
            Object policy = linkProperties.get(DELIVERY_POLICY);
            if (policy != null) {
                request.setDeliveryPolicy(policy.toString());
            }
            Object group = linkProperties.get(GROUP);
            if (group != null) {
                request.setGroup(group.toString());
            }
        }
        return new AmqpSubscribeRequest(request.build(), applied);
    }

    private static boolean isSelector(Object descriptor) {
        return SELECTOR_FILTER.equals(descriptor) || SELECTOR_FILTER_CODE.equals(descriptor);
    }

    /** How AMQP clients name the fields {@code SubscriptionRequests} refuses. */
    static String wireField(String field) {
        return switch (field) {
            case "topic_pattern" -> "source address";
            case "filter_expression" -> SELECTOR_FILTER.toString();
            case "delivery_policy" -> DELIVERY_POLICY.toString();
            default -> field;
        };
    }
}
