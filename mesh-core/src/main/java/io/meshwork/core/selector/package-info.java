/**
 * Selector filters: SQL-92 conditional expressions as in JMS message selectors, evaluated
 * against an event's headers and, for JSON payloads, its payload fields.
 *
 * <p>{@link io.meshwork.core.selector.Selector#parse(String)} parses once;
 * {@link io.meshwork.core.selector.Selector#matches(SelectorContext)} evaluates against a
 * {@link io.meshwork.core.selector.SelectorContext}, which documents how identifiers resolve.
 * Bad expressions throw {@link io.meshwork.core.selector.InvalidSelectorException} with the
 * position of the problem. Parsing and evaluation are done by the Artemis JMS selector library
 * ({@code org.apache.activemq:artemis-selector}); its types do not appear in this API.
 */
package io.meshwork.core.selector;
