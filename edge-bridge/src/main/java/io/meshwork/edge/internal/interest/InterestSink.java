package io.meshwork.edge.internal.interest;

/** Told when this edge gains or loses a subscriber of a (pattern, selector). */
public interface InterestSink {

    /** One more subscriber of {@code pattern} with {@code selector} ("" for none). */
    void acquire(String pattern, String selector);

    /** One subscriber fewer of {@code pattern} with {@code selector}. */
    void release(String pattern, String selector);
}
