package io.meshwork.edge.internal.schema;

import java.util.Optional;

/** A compiled schema that checks one payload at a time; safe to share between threads. */
public interface PayloadSchema {

    /**
     * Checks {@code payload}.
     *
     * @param payload     the event's data, empty when it has none
     * @param contentType the event's {@code datacontenttype}, or {@code null}
     * @return the first violation found, or empty when the payload follows the schema
     */
    Optional<Violation> check(byte[] payload, String contentType);
}
