package io.meshwork.launcher.internal;

import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.core.auth.AuthKeys;
import io.meshwork.core.auth.SigningKeys;
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
    private final SigningKeys signingKeys;

    private SecureMode(LocalCertificates certificates, SigningKeys signingKeys) {
        this.certificates = certificates;
        this.signingKeys = signingKeys;
    }

    /**
     * Generates the CA and server certificate under {@code dir} unless they are there already, and
     * loads (or creates) the token signing keys in {@code keysDir}, the ones {@code ./mesh token} signs with.
     */
    public static SecureMode prepare(Path dir, Path keysDir) {
        return new SecureMode(LocalCertificates.ensure(dir), SigningKeys.loadOrCreate(keysDir));
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
        keys.putAll(tokens(EdgeKeys.AUTH));
        return keys;
    }

    /** The keys the control plane gets on top of the embedded mesh's own. */
    public Map<String, String> controlPlaneOverrides() {
        Map<String, String> keys = new LinkedHashMap<>(tls(ControlPlaneKeys.PREFIX));
        keys.putAll(tokens(ControlPlaneKeys.AUTH));
        return keys;
    }

    /** Token authentication with the signing keys' public JWK set, under {@code prefix} ({@code edge.auth}, ...). */
    private Map<String, String> tokens(String prefix) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(AuthKeys.enabled(prefix), "true");
        keys.put(AuthKeys.jwksFile(prefix), signingKeys.jwksFile().toString());
        keys.put(AuthKeys.issuer(prefix), SigningKeys.ISSUER);
        keys.put(AuthKeys.audience(prefix), SigningKeys.AUDIENCE);
        return keys;
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
