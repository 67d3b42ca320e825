package io.meshwork.launcher.internal;

import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.core.tls.LocalCertificates;
import io.meshwork.core.tls.TlsKeys;
import io.meshwork.edge.EdgeKeys;
import io.meshwork.launcher.MeshOverrides;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code ./mesh up --secure} turns on (DESIGN.md 2.6): a local CA and server certificate
 * (generated once under {@code dir}, reused afterwards so clients keep trusting the same CA), TLS
 * on every edge listener and on the control plane, and token authentication on the edges.
 */
public final class SecureMode {

    /** Where {@code ./mesh up --secure} keeps its CA unless told otherwise, relative to the working directory. */
    public static final Path DEFAULT_DIR = Path.of(".mesh", "secure");

    private final LocalCertificates certificates;

    private SecureMode(LocalCertificates certificates) {
        this.certificates = certificates;
    }

    /** Generates the CA and server certificate under {@code dir} unless they are there already. */
    public static SecureMode prepare(Path dir) {
        return new SecureMode(LocalCertificates.ensure(dir));
    }

    /** The CA certificate clients trust (PEM, absolute path): printed as {@code CA certificate: <path>}. */
    public Path caCertificate() {
        return certificates.caPem();
    }

    /** The certificates (CA, server key store, their password). */
    public LocalCertificates certificates() {
        return certificates;
    }

    /** The keys every edge gets on top of the embedded mesh's own. */
    public Map<String, String> edgeOverrides() {
        Map<String, String> keys = new LinkedHashMap<>(tls(EdgeKeys.PREFIX));
        // The AMQP listener has neither TLS nor SASL PLAIN yet: a secure mesh serves no AMQP rather than an open port.
        keys.put(EdgeKeys.AMQP_PORT, "-1");
        // >>> JWT (issue 16, `security` helper): the lead adds the edges' token keys here, from the
        // mesh's SigningKeys (the same keys `./mesh token` signs with), so that --secure also turns
        // authentication and authorisation on. TLS alone is what this class does until then.
        return keys;
    }

    /** The keys the control plane gets on top of the embedded mesh's own. */
    public Map<String, String> controlPlaneOverrides() {
        return tls(ControlPlaneKeys.PREFIX);
    }

    /** Both, for {@link io.meshwork.launcher.EmbeddedMesh#start}. */
    public MeshOverrides overrides() {
        return new MeshOverrides(edgeOverrides(), controlPlaneOverrides());
    }

    private Map<String, String> tls(String prefix) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(prefix + TlsKeys.ENABLED, "true");
        keys.put(prefix + TlsKeys.KEYSTORE_PATH, certificates.serverKeyStore().toString());
        keys.put(prefix + TlsKeys.KEYSTORE_PASSWORD, certificates.password());
        return keys;
    }
}
