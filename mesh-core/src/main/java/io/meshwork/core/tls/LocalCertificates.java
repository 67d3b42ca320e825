package io.meshwork.core.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A local CA and the certificates it signs, kept in one directory and reused when present:
 * {@code ca.pem} (what clients trust), {@code ca.p12} (the same as a trust store, for mTLS),
 * {@code ca-key.p12} (the CA's key, to sign more), {@code server.p12} (the services' key and
 * chain; SAN {@code localhost}, {@code 127.0.0.1}, {@code ::1}) and {@code store-password}
 * (the stores' password, readable by the owner only). For {@code ./mesh up --secure} and tests;
 * a real deployment brings certificates from its own CA.
 *
 * <p>Keys are EC P-256, signed with SHA256withECDSA through the JDK's own providers (Bouncy
 * Castle only builds the certificates).
 */
public final class LocalCertificates {

    public static final String CA_PEM = "ca.pem";
    public static final String CA_TRUSTSTORE = "ca.p12";
    public static final String CA_KEYSTORE = "ca-key.p12";
    public static final String SERVER_KEYSTORE = "server.p12";
    public static final String PASSWORD_FILE = "store-password";

    private static final String CA_ALIAS = "ca";
    private static final Duration VALIDITY = Duration.ofDays(825);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final String password;
    private final PrivateKey caKey;
    private final X509Certificate caCertificate;

    private LocalCertificates(Path dir, String password, PrivateKey caKey, X509Certificate caCertificate) {
        this.dir = dir;
        this.password = password;
        this.caKey = caKey;
        this.caCertificate = caCertificate;
    }

    /** The CA and server certificate in {@code dir}, generated unless already there. */
    public static LocalCertificates ensure(Path dir) {
        Path directory = dir.toAbsolutePath();
        try {
            Files.createDirectories(directory);
            if (Files.exists(directory.resolve(PASSWORD_FILE)) && Files.exists(directory.resolve(CA_KEYSTORE))
                    && Files.exists(directory.resolve(SERVER_KEYSTORE)) && Files.exists(directory.resolve(CA_TRUSTSTORE))
                    && Files.exists(directory.resolve(CA_PEM))) {
                String password = Files.readString(directory.resolve(PASSWORD_FILE), StandardCharsets.UTF_8).strip();
                KeyStore ca = StoreFiles.load(directory.resolve(CA_KEYSTORE), password, directory.resolve(CA_KEYSTORE).toString());
                return new LocalCertificates(directory, password, (PrivateKey) ca.getKey(CA_ALIAS, password.toCharArray()),
                        (X509Certificate) ca.getCertificate(CA_ALIAS));
            }
            String password = HexFormat.of().formatHex(bytes(16));
            KeyPair caKeys = keyPair();
            X509Certificate caCertificate = sign(new X500Name("CN=Meshwork local CA"), caKeys, caKeys.getPrivate(), null, true, List.of());
            LocalCertificates certificates = new LocalCertificates(directory, password, caKeys.getPrivate(), caCertificate);
            certificates.writeStore(CA_KEYSTORE, CA_ALIAS, caKeys.getPrivate(), caCertificate);
            certificates.writeTrustStore(directory.resolve(CA_TRUSTSTORE));
            certificates.writePem(directory.resolve(CA_PEM));
            certificates.issueServer(directory.resolve(SERVER_KEYSTORE));
            Path passwordFile = directory.resolve(PASSWORD_FILE);
            Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
            ownerOnly(passwordFile);
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write certificates to " + directory + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate certificates: " + e.getMessage(), e);
        }
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** The CA certificate as PEM (absolute path). */
    public Path caPem() {
        return dir.resolve(CA_PEM);
    }

    /** The CA certificate as a PKCS12 trust store (password {@link #password()}). */
    public Path caTrustStore() {
        return dir.resolve(CA_TRUSTSTORE);
    }

    /** The services' key store: key and chain for localhost, 127.0.0.1 and ::1. */
    public Path serverKeyStore() {
        return dir.resolve(SERVER_KEYSTORE);
    }

    /** Password of every store here. */
    public String password() {
        return password;
    }

    /** The CA certificate. */
    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** TLS settings serving {@link #serverKeyStore()}, trusting this CA for client certificates as {@code clientAuth} says. */
    public TlsSettings serverSettings(ClientAuth clientAuth) {
        TlsSettings server = TlsSettings.server(serverKeyStore(), password);
        return clientAuth == ClientAuth.NONE ? server : server.withClientAuth(caTrustStore(), password, clientAuth);
    }

    /**
     * The broker properties of a Kafka SSL listener named {@code listener} that serves
     * {@link #serverKeyStore()} and requires client certificates signed by this CA: what a test
     * cluster needs for clients configured with {@code security.protocol=SSL}.
     */
    public Map<String, String> kafkaSslListener(String listener) {
        String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(prefix + "ssl.keystore.type", "PKCS12");
        properties.put(prefix + "ssl.keystore.location", serverKeyStore().toString());
        properties.put(prefix + "ssl.keystore.password", password);
        properties.put(prefix + "ssl.key.password", password);
        properties.put(prefix + "ssl.truststore.type", "PKCS12");
        properties.put(prefix + "ssl.truststore.location", caTrustStore().toString());
        properties.put(prefix + "ssl.truststore.password", password);
        properties.put(prefix + "ssl.client.auth", "required");
        return properties;
    }

    /** Writes a new server key store to {@code file} (a fresh key; SAN localhost, 127.0.0.1, ::1), replacing it atomically. */
    public void issueServer(Path file) throws IOException, GeneralSecurityException {
        KeyPair keys = keyPair();
        X509Certificate certificate = sign(new X500Name("CN=localhost"), keys, caKey, caCertificate, false, List.of(
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, InetAddress.getByName("::1").getHostAddress())));
        writeStore(file, "server", keys.getPrivate(), certificate, caCertificate);
    }

    /**
     * Writes a client key store to {@code file} whose certificate names {@code principal} (SAN DNS
     * name, and CN), signed by this CA: what an mTLS client presents.
     */
    public Path issueClient(String principal, Path file) {
        try {
            KeyPair keys = keyPair();
            X509Certificate certificate = sign(new X500Name("CN=" + principal), keys, caKey, caCertificate, false,
                    List.of(new GeneralName(GeneralName.dNSName, principal)));
            writeStore(file, "client", keys.getPrivate(), certificate, caCertificate);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void writeStore(String name, String alias, PrivateKey key, X509Certificate... chain)
            throws IOException, GeneralSecurityException {
        writeStore(dir.resolve(name), alias, key, chain);
    }

    private void writeStore(Path file, String alias, PrivateKey key, X509Certificate... chain)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(alias, key, password.toCharArray(), chain);
        writeAtomically(file, store);
    }

    private void writeTrustStore(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry(CA_ALIAS, caCertificate);
        writeAtomically(file, store);
    }

    // A listener reading the file mid-write must see the old or the new store, never half of one.
    private void writeAtomically(Path file, KeyStore store) throws IOException, GeneralSecurityException {
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            store.store(out, password.toCharArray());
        }
        ownerOnly(temp);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void writePem(Path file) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(caCertificate);
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
    }

    private static X509Certificate sign(X500Name subject, KeyPair keys, PrivateKey signer, X509Certificate issuer, boolean ca,
                                        List<GeneralName> names) throws GeneralSecurityException {
        try {
            Instant now = Instant.now();
            X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(issuer));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            }
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: the directory's own permissions apply.
        }
    }
}
