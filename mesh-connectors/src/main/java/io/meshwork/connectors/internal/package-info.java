/**
 * Shared by the link guards; not an API. Reading and writing the mesh routing headers on Connect
 * records, and the validation of the {@code broker.id} setting.
 */
package io.meshwork.connectors.internal;
