/**
 * WAN emulation for the embedded mesh: in-process TCP proxies that put a round-trip time on the
 * links between regions and can cut and heal them.
 *
 * <p>A {@link io.meshwork.embedded.wan.WanLink} is one directed link: clients in region
 * {@code from} connect to its port to reach a listener in region {@code to}. A
 * {@link io.meshwork.embedded.wan.WanEmulator} holds all links of a mesh and cuts or heals both
 * directions between two regions at once.
 */
package io.meshwork.embedded.wan;
