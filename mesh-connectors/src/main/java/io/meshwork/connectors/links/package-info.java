/**
 * The mesh links between neighbouring regions. By default ({@link io.meshwork.connectors.links.LinkMode#PUSH})
 * each region pushes its spools {@code mesh.link.<neighbour>} to its neighbours
 * ({@link io.meshwork.connectors.links.RegionPushLinks}); MirrorMaker 2 pulling them from the
 * other end remains available ({@link io.meshwork.connectors.links.RegionMirror}, properties from
 * {@link io.meshwork.connectors.links.LinkConfigs}). Both apply the same link SMTs and write the
 * same arrival topics.
 */
package io.meshwork.connectors.links;
