/**
 * The mesh's topology: regions, their listener ports, and the WAN links between them with
 * their round-trip times. Load one with {@link io.meshwork.topology.TopologyLoader}; the
 * embedded three-region mesh ships as {@link io.meshwork.topology.TopologyLoader#EMBEDDED_RESOURCE}.
 */
package io.meshwork.topology;
