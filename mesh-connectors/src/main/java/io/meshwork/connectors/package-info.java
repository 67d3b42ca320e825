/**
 * MirrorMaker 2 link configuration, the mesh's Connect SMTs and predicates, and source/sink
 * connectors. Arrives with the interest-routing issue; the module exists so the reactor has its
 * final shape.
 */
package io.meshwork.connectors;
