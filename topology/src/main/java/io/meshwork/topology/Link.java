package io.meshwork.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * An undirected WAN link between two regions. Which end is {@code a} and which is {@code b}
 * only reflects how the link was declared; use {@link #connects} and {@link #other} rather
 * than comparing ends.
 *
 * @param a   one end's region name
 * @param b   the other end's region name, different from {@code a}
 * @param rtt the round-trip time across the link, positive
 */
public record Link(String a, String b, Duration rtt) {

    /**
     * @throws IllegalArgumentException if both ends are the same region or the RTT is not positive
     * @throws NullPointerException     if an argument is null
     */
    public Link {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(rtt, "rtt");
        if (a.equals(b)) {
            throw new IllegalArgumentException("link from region '" + a + "' to itself");
        }
        if (rtt.isNegative() || rtt.isZero()) {
            throw new IllegalArgumentException("link " + a + "<->" + b + ": rtt must be positive, was " + rtt);
        }
    }

    /**
     * @param region a region name
     * @return true if {@code region} is one of the link's ends
     */
    public boolean connects(String region) {
        return a.equals(region) || b.equals(region);
    }

    /**
     * @param x one region name
     * @param y another region name
     * @return true if this link joins {@code x} and {@code y}, in either order
     */
    public boolean joins(String x, String y) {
        return (a.equals(x) && b.equals(y)) || (a.equals(y) && b.equals(x));
    }

    /**
     * @param region one of the link's ends
     * @return the end that is not {@code region}
     * @throws IllegalArgumentException if {@code region} is not an end of this link
     */
    public String other(String region) {
        if (a.equals(region)) {
            return b;
        }
        if (b.equals(region)) {
            return a;
        }
        throw new IllegalArgumentException("link " + a + "<->" + b + " does not connect region '" + region + "'");
    }
}
