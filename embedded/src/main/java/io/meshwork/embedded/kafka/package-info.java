/**
 * A real single-node Apache Kafka cluster (KRaft, combined broker and controller) running inside
 * the current JVM, for the embedded mesh and for integration tests.
 *
 * <pre>{@code
 * try (var cluster = EmbeddedKafkaCluster.start(KafkaClusterSpec.named("us-east-1"))) {
 *     cluster.createTopic("mesh.events", 3, Map.of());
 *     // bootstrap clients with cluster.bootstrapServers()
 * }
 * }</pre>
 */
package io.meshwork.embedded.kafka;
