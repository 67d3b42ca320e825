/**
 * Kafka Connect connectors for existing Connect deployments: {@link io.meshwork.connectors.mesh.MeshSinkConnector}
 * publishes Connect records into a region's {@code mesh.events} as CloudEvents, and
 * {@link io.meshwork.connectors.mesh.MeshSourceConnector} registers interest in a topic pattern and drains the
 * matching events into a Connect topic. Packaged as a Connect plugin under
 * {@code mesh-connectors/target/meshwork-connect-plugin/} (see docs/ARCHITECTURE.md, "Kafka Connect connectors").
 */
package io.meshwork.connectors.mesh;
