package io.meshwork.core.selector;

import java.util.Locale;

/**
 * How one identifier of a selector is looked up in a {@link SelectorContext}; the rules are
 * documented there. Built once per identifier and selector, so evaluation does no string work.
 */
final class Identifier {

    private static final String HEADERS_PREFIX = "headers.";
    private static final String PAYLOAD_PREFIX = "payload.";

    private enum Order { HEADER_THEN_PAYLOAD, PAYLOAD_ONLY, PAYLOAD_THEN_HEADER }

    private final Order order;
    private final String headerName;
    private final String lowerCaseHeaderName;
    private final String[] payloadPath;

    private Identifier(Order order, String name) {
        this.order = order;
        this.headerName = name;
        this.lowerCaseHeaderName = name.toLowerCase(Locale.ROOT);
        this.payloadPath = name.split("\\.", -1);
    }

    /** The lookup rule for an identifier as written in a selector ({@code headers.region}). */
    static Identifier of(String identifier) {
        if (identifier.startsWith(HEADERS_PREFIX) && identifier.length() > HEADERS_PREFIX.length()) {
            return new Identifier(Order.HEADER_THEN_PAYLOAD, identifier.substring(HEADERS_PREFIX.length()));
        }
        if (identifier.startsWith(PAYLOAD_PREFIX) && identifier.length() > PAYLOAD_PREFIX.length()) {
            return new Identifier(Order.PAYLOAD_ONLY, identifier.substring(PAYLOAD_PREFIX.length()));
        }
        return new Identifier(Order.PAYLOAD_THEN_HEADER, identifier);
    }

    /** The identifier's value in {@code context}, or null (SQL NULL) when it has none. */
    Object resolve(SelectorContext context) {
        return switch (order) {
            case HEADER_THEN_PAYLOAD -> {
                Object header = context.header(headerName, lowerCaseHeaderName);
                yield header != null ? header : context.payloadField(payloadPath);
            }
            case PAYLOAD_ONLY -> context.payloadField(payloadPath);
            case PAYLOAD_THEN_HEADER -> {
                Object field = context.payloadField(payloadPath);
                yield field != null ? field : context.header(headerName, lowerCaseHeaderName);
            }
        };
    }
}
