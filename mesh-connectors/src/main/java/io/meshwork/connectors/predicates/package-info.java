/**
 * Connect predicates that pick out records a link must not carry on. Used with Connect's
 * {@code Filter}, they drop looped events ({@link io.meshwork.connectors.predicates.RoutingPathContains})
 * and events whose hop budget is spent ({@link io.meshwork.connectors.predicates.HopBudgetSpent}).
 */
package io.meshwork.connectors.predicates;
