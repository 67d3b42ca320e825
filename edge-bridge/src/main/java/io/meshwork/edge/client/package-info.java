/**
 * Client helpers for subscribers that must survive the loss of an edge: {@link
 * io.meshwork.edge.client.FailoverSubscriber} keeps a WebSocket or gRPC subscription stream open
 * against a list of edges of one region, reconnects to the next with backoff when its edge goes
 * away, and subscribes every subscription again (a durable one with the last resume token it saw).
 *
 * <p>MQTT clients need no helper: list several server URIs (Paho's {@code serverURIs}, the
 * HiveMQ client's reconnect with another server address); see docs/ARCHITECTURE.md, "Edge failover".
 */
package io.meshwork.edge.client;
