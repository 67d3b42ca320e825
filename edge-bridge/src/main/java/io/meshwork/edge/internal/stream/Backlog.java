package io.meshwork.edge.internal.stream;

/**
 * How far a connection is behind: what a consumer group asks of a member before it hands it an
 * event, so that a lagging member gets no new events while another member can take them. A
 * subscriber that does not implement it is taken to keep up.
 */
public interface Backlog {

    /** Frames handed to the connection and not yet written to its socket. */
    int pending();
}
