/**
 * What carries events between neighbouring regions: the links ({@code links}: push links run by
 * each origin, or MirrorMaker 2 configured per directed link, and the control channels), and the Connect SMT and predicates every link applies to what it
 * carries ({@code transforms}, {@code predicates}): drop looped events, drop events whose hop
 * budget is spent, stamp the rest as having entered the target broker.
 *
 * <p>{@link io.meshwork.connectors.LinkGuardCounters} counts what those guards saw, per broker.
 */
package io.meshwork.connectors;
