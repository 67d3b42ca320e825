/**
 * Reading topology YAML: parsing, walking the tree by key path and checking every rule, so
 * that each problem is reported against the key that causes it. Not part of the API.
 */
package io.meshwork.topology.internal;
