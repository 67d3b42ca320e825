package io.meshwork.edge.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.auth.AclEntry;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.tls.ClientAuth;
import io.meshwork.core.tls.LocalCertificates;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client certificate as the principal on AMQP (SASL EXTERNAL), with Qpid JMS as the client: one
 * embedded Kafka, one edge with auth on whose amqps port asks for client certificates of the local
 * CA ({@code client.auth=requested}, so clients without one connect too). The certificate's principal has no claims, so only its entries in {@code mesh.acls} allow it
 * anything; a token over SASL PLAIN still decides alone; a certificate of an unknown CA never gets
 * past the handshake, which is counted.
 */
@Tag("integration")
@Timeout(120)
class AmqpCertificatePrincipalIntegrationTest {

    private static final String REGION = "us-east-1";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static LocalCertificates certificates;
    private static SigningKeys keys;
    private static EdgeBridge edge;

    @BeforeAll
    static void start() throws Exception {
        certificates = LocalCertificates.ensure(dir.resolve("certs"));
        keys = SigningKeys.loadOrCreate(dir.resolve("keys"));
        kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(REGION));
        new TopicApplier(kafka.admin(), REGION).apply(TopicContract.embedded(REGION, List.of()).topics(), TopicApplier.Mode.CREATE_MISSING);
        // Written before the edge starts: it reads mesh.acls to its end before it serves a client.
        writeAcl("billing-service", AclEntry.Action.PUBLISH, AclEntry.Effect.ALLOW, "billing/#");
        writeAcl("billing-service", AclEntry.Action.SUBSCRIBE, AclEntry.Effect.ALLOW, "billing/#");
        writeAcl("billing-service", AclEntry.Action.PUBLISH, AclEntry.Effect.DENY, "billing/secret/#");
        EdgeConfig config = EdgeConfig.defaults(REGION, KafkaClients.of(kafka.bootstrapServers())).withHttp("127.0.0.1", 0).withAmqp(0);
        edge = EdgeBridge.start(config, certificates.serverSettings(ClientAuth.REQUESTED), keys.authSettings("edge.auth"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {edge, kafka}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @Test
    void externalWithACertificateAllowedByAnAclEntryPublishesAndReceives() throws Exception {
        Connection connection = jms(client("billing-service"), certificates.password(), "EXTERNAL").createConnection();
        try {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createTopic("billing/invoices/#"));
            String id = "evt-" + UUID.randomUUID();

            session.createProducer(session.createTopic("billing/invoices/march")).send(event(session, id));

            jakarta.jms.Message received = consumer.receive(WAIT.toMillis());
            assertThat(received).isNotNull();
            assertThat(received.getStringProperty("cloudEvents:id")).isEqualTo(id);
        } finally {
            connection.close();
        }
    }

    @Test
    void externalIsOfferedOnlyOnAConnectionWithAVerifiedClientCertificate() throws Exception {
        assertThat(offeredMechanisms(client("billing-service").sslContext())).containsExactly("EXTERNAL", "PLAIN");
        assertThat(offeredMechanisms(new TlsClients(certificates.caTrustStore(), null, certificates.password()).sslContext()))
                .containsExactly("PLAIN");
    }

    @Test
    void externalTakesOnlyTheCertificatesOwnNameAndNeedsACertificate() throws Exception {
        double mismatches = refused("user_name_mismatch");
        double missing = refused("missing");
        javax.net.ssl.SSLContext billing = client("billing-service").sslContext();
        javax.net.ssl.SSLContext none = new TlsClients(certificates.caTrustStore(), null, certificates.password()).sslContext();

        assertThat(sasl(billing, "EXTERNAL", "").outcome()).isEqualTo(Sasl.SaslOutcome.PN_SASL_OK);
        assertThat(sasl(billing, "EXTERNAL", "billing-service").outcome()).isEqualTo(Sasl.SaslOutcome.PN_SASL_OK);
        assertThat(sasl(billing, "EXTERNAL", "someone-else").outcome()).isEqualTo(Sasl.SaslOutcome.PN_SASL_AUTH);
        // Not offered without a certificate, and refused when a client picks it anyway.
        assertThat(sasl(none, "EXTERNAL", "").outcome()).isEqualTo(Sasl.SaslOutcome.PN_SASL_AUTH);

        assertThat(refused("user_name_mismatch") - mismatches).isEqualTo(1);
        assertThat(refused("missing") - missing).isEqualTo(1);
    }

    @Test
    void aCertificateWithoutAnEntryForTheTopicIsRefusedWithUnauthorizedAccess() throws Exception {
        double publishes = refused("publish_not_allowed");
        double subscribes = refused("subscribe_not_allowed");
        Connection stranger = jms(client("stranger-service"), certificates.password(), "EXTERNAL").createConnection();
        Connection billing = jms(client("billing-service"), certificates.password(), "EXTERNAL").createConnection();
        try {
            stranger.start();
            Session session = stranger.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> session.createProducer(session.createTopic("billing/invoices/april"))
                    .send(event(session, "evt-" + UUID.randomUUID()))).isInstanceOf(JMSSecurityException.class)
                    .hasMessageContaining("stranger-service");
            assertThatThrownBy(() -> session.createConsumer(session.createTopic("billing/invoices/#")))
                    .isInstanceOf(JMSSecurityException.class);
            billing.start();
            Session billingSession = billing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> billingSession.createProducer(billingSession.createTopic("billing/secret/keys"))
                    .send(event(billingSession, "evt-" + UUID.randomUUID()))).isInstanceOf(JMSSecurityException.class);
        } finally {
            stranger.close();
            billing.close();
        }
        assertThat(refused("publish_not_allowed") - publishes).isEqualTo(2);
        assertThat(refused("subscribe_not_allowed") - subscribes).isEqualTo(1);
    }

    @Test
    void aTokenOverPlainWinsOverTheCertificateAndABadTokenIsNotRescuedByIt() throws Exception {
        String alice = keys.mint(new SigningKeys.Grant("alice", List.of("alice/#"), List.of("alice/#"), List.of()), Duration.ofMinutes(10));
        JmsConnectionFactory plain = jms(client("billing-service"), certificates.password(), "PLAIN");
        Connection connection = plain.createConnection("alice", alice);
        try {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createTopic("alice/notes")).send(event(session, "evt-" + UUID.randomUUID()));
            assertThatThrownBy(() -> session.createProducer(session.createTopic("billing/invoices/may"))
                    .send(event(session, "evt-" + UUID.randomUUID()))).isInstanceOf(JMSSecurityException.class)
                    .hasMessageContaining("alice");
        } finally {
            connection.close();
        }
        assertThatThrownBy(() -> plain.createConnection("billing-service", "not.a-jwt").start()).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void aCertificateFromAnUnknownCaIsRefusedAtTheHandshakeAndCounted() throws Exception {
        double unknownCa = handshakesFailed("unknown_ca");
        LocalCertificates other = LocalCertificates.ensure(dir.resolve("other-ca"));
        Path intruder = other.issueClient("billing-service", dir.resolve("intruder.p12"));
        // transport.keyAlias makes Qpid JMS present the certificate whatever CAs the edge asks for.
        JmsConnectionFactory presentingAnyway = new JmsConnectionFactory(uri(new TlsClients(certificates.caTrustStore(), intruder,
                other.password()), other.password(), "EXTERNAL") + "&transport.keyAlias=client");

        assertThatThrownBy(() -> presentingAnyway.createConnection().start()).isInstanceOf(JMSException.class)
                .isNotInstanceOf(JMSSecurityException.class);

        await().atMost(WAIT).untilAsserted(() -> assertThat(handshakesFailed("unknown_ca") - unknownCa).isEqualTo(1));
    }

    @Test
    void plaintextAmqpToTheTlsPortIsCountedAndTheEdgeStaysUp() throws Exception {
        double plaintext = handshakesFailed("plaintext");
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", edge.port("AMQP").orElseThrow())) {
            // The bare AMQP header of a client without SASL: Netty sees at once that it is no TLS record. (A client
            // opening with the SASL header, AMQP 3 1 0 0, reads as the start of an SSLv2 hello and is counted as
            // handshake_timeout once vert.x gives up after 10 s.)
            socket.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 0, 1, 0, 0});
            socket.getOutputStream().flush();
            socket.setSoTimeout((int) WAIT.toMillis());
            assertThat(socket.getInputStream().read()).as("the edge closes the connection unanswered").isEqualTo(-1);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(handshakesFailed("plaintext") - plaintext).isEqualTo(1));
        Connection connection = jms(client("billing-service"), certificates.password(), "EXTERNAL").createConnection();
        connection.start();
        connection.close();
    }

    /** The SASL mechanisms the edge offers a client of {@code tls}, read with proton-j's own SASL client. */
    private static List<String> offeredMechanisms(javax.net.ssl.SSLContext tls) throws Exception {
        return sasl(tls, null, null).offered();
    }

    /** What the edge offered and, unless {@code mechanism} is {@code null}, its outcome for {@code mechanism} with {@code response}. */
    private static SaslExchange sasl(javax.net.ssl.SSLContext tls, String mechanism, String response) throws Exception {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("localhost",
                edge.port("AMQP").orElseThrow())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            Transport transport = Proton.transport();
            Sasl sasl = transport.sasl();
            sasl.client();
            List<String> offered = null;
            while (offered == null || mechanism != null && sasl.getOutcome() == Sasl.SaslOutcome.PN_SASL_NONE) {
                if (offered == null && sasl.getRemoteMechanisms().length > 0) {
                    offered = List.of(sasl.getRemoteMechanisms());
                    if (mechanism == null) {
                        break;
                    }
                    sasl.setMechanisms(mechanism);
                    byte[] initial = response.getBytes(StandardCharsets.UTF_8);
                    sasl.send(initial, 0, initial.length);
                }
                exchange(socket, transport);
            }
            return new SaslExchange(offered, sasl.getOutcome());
        }
    }

    private static void exchange(javax.net.ssl.SSLSocket socket, Transport transport) throws java.io.IOException {
        ByteBuffer pending = transport.getOutputBuffer();
        if (pending.hasRemaining()) {
            byte[] bytes = new byte[pending.remaining()];
            pending.get(bytes);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            transport.outputConsumed();
        }
        byte[] buffer = new byte[Math.min(4096, transport.capacity())];
        int read = socket.getInputStream().read(buffer);
        assertThat(read).as("the edge closed the connection before the SASL exchange ended").isPositive();
        transport.getInputBuffer().put(buffer, 0, read);
        transport.processInput().checkIsOk();
    }

    private record SaslExchange(List<String> offered, Sasl.SaslOutcome outcome) {
    }

    private static TlsClients client(String principal) {
        return new TlsClients(certificates.caTrustStore(), certificates.issueClient(principal, dir.resolve(principal + ".p12")),
                certificates.password());
    }

    private static JmsConnectionFactory jms(TlsClients tls, String keyStorePassword, String mechanism) {
        return new JmsConnectionFactory(uri(tls, keyStorePassword, mechanism));
    }

    private static String uri(TlsClients tls, String keyStorePassword, String mechanism) {
        return "amqps://localhost:" + edge.port("AMQP").orElseThrow() + "?transport.trustStoreLocation=" + tls.trustStore()
                + "&transport.trustStorePassword=" + certificates.password() + "&transport.trustStoreType=PKCS12"
                + "&transport.keyStoreLocation=" + tls.keyStore() + "&transport.keyStorePassword=" + keyStorePassword
                + "&transport.keyStoreType=PKCS12&amqp.saslMechanisms=" + mechanism + "&jms.validatePropertyNames=false";
    }

    private static BytesMessage event(Session session, String id) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        message.writeBytes("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        message.setStringProperty("cloudEvents_id", id);
        message.setStringProperty("cloudEvents_type", "t");
        message.setStringProperty("cloudEvents_source", "/s");
        return message;
    }

    private static void writeAcl(String principal, AclEntry.Action action, AclEntry.Effect effect, String filter) throws Exception {
        AclTopic.write(kafka.bootstrapServers(), principal, action, effect, filter);
    }

    private static double refused(String reason) {
        return MeshMetrics.registry().find("mesh.edge.auth.refused").tags("region", REGION, "protocol", "amqp", "reason", reason)
                .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private static double handshakesFailed(String reason) {
        return MeshMetrics.registry().find("mesh.edge.tls.handshake.failed").tags("region", REGION, "protocol", "amqp", "reason", reason)
                .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }
}
