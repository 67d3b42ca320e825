package io.meshwork.connectors.mesh;

/** The version Connect lists for the mesh connectors: the jar's Implementation-Version. */
final class ConnectorVersion {

    private ConnectorVersion() {
    }

    static String get() {
        String version = ConnectorVersion.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
