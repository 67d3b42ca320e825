package io.meshwork.core.interest;

/** Told when this edge gains or loses a subscriber of a (pattern, selector). */
public interface InterestSink {

    /** One more subscriber of {@code pattern} with {@code selector} ("" for none). */
    void acquire(String pattern, String selector);

    /** One subscriber fewer of {@code pattern} with {@code selector}. */
    void release(String pattern, String selector);

    /**
     * One subscriber fewer because its connection ended without unsubscribing: the client may be
     * reconnecting (to this edge or another of the region), so a sink may keep the interest for a
     * grace period before releasing it. By default released at once.
     */
    default void depart(String pattern, String selector) {
        release(pattern, selector);
    }
}
