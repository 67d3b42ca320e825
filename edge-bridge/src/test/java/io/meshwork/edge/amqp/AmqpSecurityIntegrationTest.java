package io.meshwork.edge.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.core.auth.TokenClaims;
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
import io.vertx.core.net.PfxOptions;
import io.vertx.proton.ProtonClientOptions;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The AMQP listener of a secure edge (DESIGN.md 2.6), as {@code ./mesh up --secure} runs it: amqps
 * on the AMQP port and SASL PLAIN with the JWT as password, checked with Qpid JMS and a raw
 * vertx-proton client on one embedded Kafka. Only a valid token whose principal may use the topic
 * gets through.
 */
@Tag("integration")
@Timeout(120)
class AmqpSecurityIntegrationTest {

    private static final String REGION = "us-east-1";
    private static final String PRINCIPAL = "alice";

    @TempDir
    static Path dir;

    private static SigningKeys keys;
    private static SigningKeys stranger;
    private static LocalCertificates certificates;
    private static EmbeddedKafkaCluster kafka;
    private static EdgeBridge edge;
    private static int port;
    private static String token;

    /** Each way a token can be wrong, with the reason the edge counts it under. */
    enum BadToken {
        BAD_SIGNATURE("bad_signature"), EXPIRED("expired"), WRONG_AUDIENCE("wrong_audience"), MALFORMED("malformed");

        final String reason;

        BadToken(String reason) {
            this.reason = reason;
        }

        String token() {
            Instant now = Instant.now();
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(SigningKeys.ISSUER).audience(SigningKeys.AUDIENCE)
                    .subject(PRINCIPAL).notBeforeTime(Date.from(now.minusSeconds(60))).expirationTime(Date.from(now.plusSeconds(600)))
                    .claim(TokenClaims.PUBLISH, List.of("#")).claim(TokenClaims.SUBSCRIBE, List.of("#"));
            return switch (this) {
                case BAD_SIGNATURE -> stranger.sign(claims.build());
                case EXPIRED -> keys.sign(claims.expirationTime(Date.from(now.minusSeconds(120))).build());
                case WRONG_AUDIENCE -> keys.sign(claims.audience("another-service").build());
                case MALFORMED -> "not.a-jwt";
            };
        }
    }

    @BeforeAll
    static void start() throws Exception {
        keys = SigningKeys.loadOrCreate(dir.resolve("keys"));
        stranger = SigningKeys.loadOrCreate(dir.resolve("stranger"));
        certificates = LocalCertificates.ensure(dir.resolve("certs"));
        kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(REGION));
        new TopicApplier(kafka.admin(), REGION).apply(TopicContract.embedded(REGION, List.of()).topics(), TopicApplier.Mode.CREATE_MISSING);
        EdgeConfig config = EdgeConfig.defaults(REGION, KafkaClients.of(kafka.bootstrapServers())).withHttp("127.0.0.1", 0).withAmqp(0);
        edge = EdgeBridge.start(config, certificates.serverSettings(ClientAuth.NONE), keys.authSettings("edge.auth"));
        port = edge.port("AMQP").orElseThrow();
        token = keys.mint(new SigningKeys.Grant(PRINCIPAL, List.of("amqps/allowed/#"), List.of("amqps/allowed/#"), List.of()),
                Duration.ofMinutes(10));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {edge, kafka}) {
            if (part != null) {
                part.close();
            }
        }
    }

    private static JmsConnectionFactory jms() {
        return new JmsConnectionFactory("amqps://localhost:" + port + "?transport.trustStoreLocation=" + certificates.caTrustStore()
                + "&transport.trustStorePassword=" + certificates.password() + "&transport.trustStoreType=PKCS12"
                + "&jms.validatePropertyNames=false");
    }

    private static ProtonClientOptions tls() {
        return new ProtonClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
                .setTrustOptions(new PfxOptions().setPath(certificates.caTrustStore().toString()).setPassword(certificates.password()));
    }

    private static double refused(String reason) {
        return MeshMetrics.registry().find("mesh.edge.auth.refused").tags("region", REGION, "protocol", "amqp", "reason", reason)
                .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Test
    void aValidAllowedPrincipalPublishesAndReceivesOverTls() throws Exception {
        Connection connection = jms().createConnection(PRINCIPAL, token);
        try {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createTopic("amqps/allowed/#"));
            BytesMessage sent = session.createBytesMessage();
            sent.writeBytes("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
            String id = "evt-" + UUID.randomUUID();
            sent.setStringProperty("cloudEvents_id", id);
            sent.setStringProperty("cloudEvents_type", "t");
            sent.setStringProperty("cloudEvents_source", "/s");
            session.createProducer(session.createTopic("amqps/allowed/orders")).send(sent);

            jakarta.jms.Message received = consumer.receive(20_000);
            assertThat(received).isNotNull();
            assertThat(received.getStringProperty("cloudEvents:id")).isEqualTo(id);
        } finally {
            connection.close();
        }
    }

    @Test
    void aConnectionWithoutCredentialsIsRefusedBecauseOnlyPlainIsOffered() {
        assertThatThrownBy(() -> RawAmqpClient.connect(port, tls(), null, null).close()).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> jms().createConnection().start()).isInstanceOf(JMSException.class);
    }

    @ParameterizedTest
    @EnumSource(BadToken.class)
    void aRefusedTokenFailsTheSaslOutcomeAndIsCounted(BadToken bad) throws Exception {
        double before = refused(bad.reason);

        assertThatThrownBy(() -> RawAmqpClient.connect(port, tls(), PRINCIPAL, bad.token()).close())
                .isInstanceOf(ExecutionException.class).hasRootCauseInstanceOf(javax.security.sasl.AuthenticationException.class);
        assertThatThrownBy(() -> jms().createConnection(PRINCIPAL, bad.token()).start()).isInstanceOf(JMSSecurityException.class);

        assertThat(refused(bad.reason) - before).isEqualTo(2);
    }

    @Test
    void aUserNameThatIsNotTheTokensPrincipalIsRefused() {
        double before = refused("user_name_mismatch");
        assertThatThrownBy(() -> RawAmqpClient.connect(port, tls(), "mallory", token).close()).isInstanceOf(ExecutionException.class);
        assertThat(refused("user_name_mismatch") - before).isEqualTo(1);
    }

    @Test
    void aForbiddenPublishIsRejectedAndAForbiddenReceiverLinkIsClosedWithUnauthorizedAccess() throws Exception {
        double publishBefore = refused("publish_not_allowed");
        double subscribeBefore = refused("subscribe_not_allowed");
        try (RawAmqpClient client = RawAmqpClient.connect(port, tls(), PRINCIPAL, token)) {
            DeliveryState outcome = client.send("amqps/forbidden/orders", message());
            assertThat(outcome).isInstanceOf(Rejected.class);
            ErrorCondition rejected = ((Rejected) outcome).getError();
            assertThat(rejected.getCondition().toString()).isEqualTo("amqp:unauthorized-access");
            assertThat(rejected.getDescription()).contains("'amqps/forbidden/orders'");

            for (String pattern : List.of("amqps/forbidden/#", "amqps/#")) {
                ErrorCondition closed = client.receive(pattern, null, 1, false).closed.get(15, TimeUnit.SECONDS);
                assertThat(closed.getCondition().toString()).isEqualTo("amqp:unauthorized-access");
                assertThat(closed.getDescription()).contains("'" + pattern + "'");
            }
            assertThat(client.send("amqps/allowed/still", message())).as("the connection stays usable").isInstanceOf(Accepted.class);
        }
        assertThat(refused("publish_not_allowed") - publishBefore).isEqualTo(1);
        assertThat(refused("subscribe_not_allowed") - subscribeBefore).isEqualTo(2);
    }

    @Test
    void plaintextAmqpToTheTlsPortIsRefusedAndTheEdgeStaysUp() throws Exception {
        try (java.net.Socket plaintext = new java.net.Socket("127.0.0.1", port)) {
            plaintext.setSoTimeout(1_000);
            // The AMQP SASL protocol header, as a plaintext client opens with it: the TLS port never answers it
            // (the edge drops the connection at the TLS handshake timeout).
            plaintext.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0});
            plaintext.getOutputStream().flush();
            assertThatThrownBy(() -> plaintext.getInputStream().read()).isInstanceOf(java.net.SocketTimeoutException.class);
        }
        try (RawAmqpClient client = RawAmqpClient.connect(port, tls(), PRINCIPAL, token)) {
            assertThat(client.send("amqps/allowed/after-plaintext", message())).isInstanceOf(Accepted.class);
        }
    }

    private static Message message() {
        Message message = Proton.message();
        message.setApplicationProperties(new ApplicationProperties(Map.of("cloudEvents:type", "t", "cloudEvents:source", "/s")));
        message.setBody(new Data(new Binary("{}".getBytes(StandardCharsets.UTF_8))));
        return message;
    }
}
