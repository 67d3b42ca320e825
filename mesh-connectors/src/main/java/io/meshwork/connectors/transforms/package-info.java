/**
 * Connect single message transforms of the mesh links. {@link io.meshwork.connectors.transforms.EnterBroker}
 * stamps an event arriving over a link as having entered the target broker.
 */
package io.meshwork.connectors.transforms;
