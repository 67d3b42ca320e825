/**
 * Shared by the link guards and the links; not an API. Reading and writing the mesh routing
 * headers on Connect records, the validation of the {@code broker.id} setting, and the transform
 * chain the push link runs the link SMTs with.
 */
package io.meshwork.connectors.internal;
