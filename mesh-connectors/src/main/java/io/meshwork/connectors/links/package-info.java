/**
 * The MirrorMaker 2 configuration of the mesh links. One MirrorMaker (dedicated mode) runs in
 * each region and pulls {@code mesh.link.<region>} from every neighbour; see
 * {@link io.meshwork.connectors.links.LinkConfigs}.
 */
package io.meshwork.connectors.links;
