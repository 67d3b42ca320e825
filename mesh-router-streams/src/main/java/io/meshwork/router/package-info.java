/**
 * The per-region Kafka Streams router: matches events against remote interest and forwards them
 * towards the next hop. Arrives with the interest-routing issue; the module exists so the
 * reactor has its final shape.
 */
package io.meshwork.router;
