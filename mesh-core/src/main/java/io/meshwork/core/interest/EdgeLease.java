package io.meshwork.core.interest;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An edge's promise that its subscriptions on {@code mesh.interest} are live until
 * {@code expiresAtMs}. Edges renew it well before it expires; when an edge dies without
 * deregistering, the router drops its subscriptions once the lease has run out.
 *
 * @param region      region of the edge
 * @param expiresAtMs epoch millis after which the edge's subscriptions count as gone
 */
public record EdgeLease(String region, long expiresAtMs) {

    public EdgeLease {
        Objects.requireNonNull(region, "region");
    }

    public boolean isExpired(long nowMs) {
        return nowMs >= expiresAtMs;
    }

    /** Encoded as {@code <region>|<expiresAtMs>}. */
    public byte[] encode() {
        return (region + "|" + expiresAtMs).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException if {@code bytes} is not a lease */
    public static EdgeLease decode(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int bar = text.lastIndexOf('|');
        try {
            return new EdgeLease(text.substring(0, bar), Long.parseLong(text.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an edge lease: '" + text + "'", e);
        }
    }
}
