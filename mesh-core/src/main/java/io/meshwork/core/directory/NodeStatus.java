package io.meshwork.core.directory;

/** A node's status in the broker directory (the seed's {@code broker_status}). */
public enum NodeStatus {
    /** Takes new clients. */
    ACTIVE,
    /** Serves its clients but takes no new ones (e.g. shutting down). */
    DRAINING,
    /** Gone, or missed its heartbeats. */
    OFFLINE
}
