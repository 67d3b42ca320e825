package io.meshwork.core.directory;

/** What a node in the broker directory is. Only edges are handed to clients. */
public enum NodeRole {
    EDGE, ROUTER
}
