package io.meshwork.edge.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.meshwork.core.auth.AclEntry;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.core.tls.ClientAuth;
import io.meshwork.core.tls.LocalCertificates;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.StreamClient;
import io.meshwork.edge.grpc.GrpcStreamClient;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client certificate as the principal (mTLS, no token): one embedded Kafka, one edge with auth on
 * whose every listener requires client certificates from the local CA. A certificate's principal
 * (its SAN) has no claims, so only its entries in {@code mesh.acls} (written straight to the topic,
 * as the control plane would) allow it anything; a token, when presented, still decides alone.
 */
@Tag("integration")
@Timeout(120)
class CertificatePrincipalIntegrationTest {

    private static final String REGION = "us-east-1";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static LocalCertificates certificates;
    private static SigningKeys keys;
    private static EdgeBridge edge;
    private static TlsClients billing;

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
        writeAcl("billing-service", AclEntry.Action.SUBSCRIBE, AclEntry.Effect.DENY, "billing/secret/#");
        writeAcl("audit-service", AclEntry.Action.SUBSCRIBE, AclEntry.Effect.ALLOW, "audit/#");
        EdgeConfig config = EdgeConfig.defaults(REGION, KafkaClients.of(kafka.bootstrapServers())).withHttp("127.0.0.1", 0)
                .withGrpc(0).withMqtt(0);
        edge = EdgeBridge.start(config, certificates.serverSettings(ClientAuth.REQUIRED), keys.authSettings("edge.auth"));
        billing = client("billing-service");
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
    void aCertificateWithAnAllowEntryPublishesOverRestAndReceivesOverWebSocketGrpcAndMqtt() throws Exception {
        ManagedChannel channel = billing.grpcChannel(edge.port("gRPC").orElseThrow());
        MqttAsyncClient mqtt = mqtt(billing, null);
        try (StreamClient wss = StreamClient.connect(streamUrl(), billing.webSocketClient());
             GrpcStreamClient grpc = GrpcStreamClient.open(channel)) {
            wss.subscribe("billing/invoices/#");
            grpc.subscribe("billing/invoices/#");
            List<String> overMqtt = new CopyOnWriteArrayList<>();
            mqtt.setCallback(new MqttCallbacks(overMqtt));
            assertThat(subscribe(mqtt, "billing/invoices/#").getReasonCodes()).containsExactly(1);
            String eventId = "evt-" + UUID.randomUUID();

            HttpResponse<String> response = publish(billing, null, "billing/invoices/march", eventId);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(wss.awaitEvent(eventId).getTopic()).isEqualTo("billing/invoices/march");
            assertThat(grpc.awaitEvent(eventId).getTopic()).isEqualTo("billing/invoices/march");
            await().atMost(WAIT).until(() -> overMqtt.contains("billing/invoices/march"));
        } finally {
            mqtt.disconnectForcibly(1000);
            mqtt.close(true);
            channel.shutdownNow();
        }
    }

    @Test
    void aTopicOutsideTheEntriesOrUnderADenyEntryIsRefusedOnEveryProtocol() throws Exception {
        for (String topic : List.of("payroll/run", "billing/secret/keys")) {
            HttpResponse<String> response = publish(billing, null, topic, "evt-" + UUID.randomUUID());
            assertThat(response.statusCode()).as(topic).isEqualTo(403);
            assertThat(response.body()).contains("\"error\":\"NOT_AUTHORIZED\"").contains("billing-service");
        }
        ManagedChannel channel = billing.grpcChannel(edge.port("gRPC").orElseThrow());
        MqttAsyncClient mqtt = mqtt(billing, null);
        try (StreamClient wss = StreamClient.connect(streamUrl(), billing.webSocketClient())) {
            wss.send(subscribeRequest("payroll/#"));
            assertThat(wss.awaitError(0).getErrorCode()).isEqualTo("NOT_AUTHORIZED");
            wss.send(subscribeRequest("billing/secret/#"));
            assertThat(wss.awaitError(1).getErrorCode()).isEqualTo("NOT_AUTHORIZED");

            assertThat(GrpcStreamClient.subscribeOutcome(channel, "payroll/#").getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            // billing/# would match the denied billing/secret/#: refused whole, never delivered in part.
            assertThat(GrpcStreamClient.subscribeOutcome(channel, "billing/#").getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

            assertThat(subscribe(mqtt, "payroll/#").getReasonCodes()).containsExactly(0x87);
            assertThat(subscribe(mqtt, "billing/secret/#").getReasonCodes()).containsExactly(0x87);
        } finally {
            mqtt.disconnectForcibly(1000);
            mqtt.close(true);
            channel.shutdownNow();
        }
    }

    @Test
    void aCertificateWithoutEntriesIsAllowedNothingUntilTheControlPlaneAddsOne() throws Exception {
        TlsClients stranger = client("stranger-service");

        HttpResponse<String> refused = publish(stranger, null, "billing/invoices", "evt-" + UUID.randomUUID());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"error\":\"NOT_AUTHORIZED\"").contains("stranger-service");
        MqttAsyncClient mqtt = mqtt(stranger, null);
        try {
            assertThat(subscribe(mqtt, "billing/#").getReasonCodes()).containsExactly(0x87);
        } finally {
            mqtt.disconnectForcibly(1000);
            mqtt.close(true);
        }

        writeAcl("stranger-service", AclEntry.Action.PUBLISH, AclEntry.Effect.ALLOW, "billing/invoices");
        await().atMost(WAIT).until(() -> publish(stranger, null, "billing/invoices", "evt-" + UUID.randomUUID()).statusCode() == 202);
    }

    @Test
    void aCertificatesLiveSubscriptionIsCutWhenADenyEntryArrivesAndItsOtherOneStays() throws Exception {
        TlsClients audit = client("audit-service");
        try (StreamClient wss = StreamClient.connect(streamUrl(), audit.webSocketClient())) {
            wss.subscribe("audit/reports/#");
            wss.subscribe("audit/logs/#");

            writeAcl("audit-service", AclEntry.Action.SUBSCRIBE, AclEntry.Effect.DENY, "audit/reports/#");

            StreamControl error = wss.awaitError(0);
            assertThat(error.getErrorCode()).isEqualTo("NOT_AUTHORIZED");
            assertThat(error.getTopicPattern()).isEqualTo("audit/reports/#");
            assertThat(error.getMessage()).contains("audit-service");
            assertThat(wss.isOpen()).isTrue();
            assertThat(wss.errors()).hasSize(1);
        }
    }

    @Test
    void aPresentedTokenWinsOverTheCertificate() throws Exception {
        String alice = keys.mint(new SigningKeys.Grant("alice", List.of("alice/#"), List.of("alice/#"), List.of()), Duration.ofMinutes(10));

        assertThat(publish(billing, alice, "alice/notes", "evt-" + UUID.randomUUID()).statusCode()).isEqualTo(202);
        HttpResponse<String> notTheCertificates = publish(billing, alice, "billing/invoices", "evt-" + UUID.randomUUID());
        assertThat(notTheCertificates.statusCode()).isEqualTo(403);
        assertThat(notTheCertificates.body()).contains("alice");
        assertThat(publish(billing, "not.a-jwt", "billing/invoices", "evt-" + UUID.randomUUID()).statusCode()).isEqualTo(401);
        // MQTT: a password is the token, and a user name must be the principal of whichever credential decides.
        MqttAsyncClient asAlice = mqtt(billing, alice);
        try {
            assertThat(subscribe(asAlice, "alice/#").getReasonCodes()).containsExactly(1);
            assertThat(subscribe(asAlice, "billing/#").getReasonCodes()).containsExactly(0x87);
        } finally {
            asAlice.disconnectForcibly(1000);
            asAlice.close(true);
        }
    }

    @Test
    void anMqttUserNameMustBeTheCertificatesPrincipal() throws Exception {
        MqttConnectionOptions options = mqttOptions(billing);
        options.setUserName("someone-else");
        MqttAsyncClient client = new MqttAsyncClient(mqttUri(), "cert-" + UUID.randomUUID(), new MemoryPersistence());
        try {
            client.connect(options).waitForCompletion(WAIT.toMillis());
            throw new AssertionError("a user name that is not the certificate's principal was accepted");
        } catch (MqttException refused) {
            assertThat(refused.getReasonCode()).isEqualTo(0x87);
        } finally {
            client.close(true);
        }
        options.setUserName("billing-service");
        MqttAsyncClient named = new MqttAsyncClient(mqttUri(), "cert-" + UUID.randomUUID(), new MemoryPersistence());
        try {
            named.connect(options).waitForCompletion(WAIT.toMillis());
            assertThat(subscribe(named, "billing/invoices/#").getReasonCodes()).containsExactly(1);
        } finally {
            named.disconnectForcibly(1000);
            named.close(true);
        }
    }

    @Test
    void refusedGrpcHandshakesAreCountedByProtocolAndReason() throws Exception {
        double plaintext = grpcHandshakesFailed("plaintext");
        double unknownCa = grpcHandshakesFailed("unknown_ca");
        int port = edge.port("gRPC").orElseThrow();
        ManagedChannel plain = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            assertThat(GrpcStreamClient.subscribeOutcome(plain, "billing/#").getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            plain.shutdownNow();
        }
        LocalCertificates other = LocalCertificates.ensure(dir.resolve("other-ca"));
        TlsClients intruder = new TlsClients(certificates.caTrustStore(), TlsClients.rekeyed(other.issueClient("billing-service",
                dir.resolve("intruder.p12")), other.password(), certificates.password(), dir.resolve("intruder-rekeyed.p12")),
                certificates.password());
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) intruder.sslContextPresentingAnyway().getSocketFactory()
                .createSocket("localhost", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            // TLS 1.3: the client's side of the handshake completes before the edge checks its certificate; the alert comes next.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                socket.startHandshake();
                socket.getInputStream().read();
            }).isInstanceOf(java.io.IOException.class);
        }

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(grpcHandshakesFailed("plaintext") - plaintext).isGreaterThanOrEqualTo(1);
            assertThat(grpcHandshakesFailed("unknown_ca") - unknownCa).isEqualTo(1);
        });
        // Still serving TLS.
        ManagedChannel channel = billing.grpcChannel(port);
        try (GrpcStreamClient grpc = GrpcStreamClient.open(channel)) {
            grpc.subscribe("billing/invoices/#");
        } finally {
            channel.shutdownNow();
        }
    }

    private static double grpcHandshakesFailed(String reason) {
        return io.meshwork.core.metrics.MeshMetrics.registry().find("mesh.edge.tls.handshake.failed")
                .tags("region", REGION, "protocol", "grpc", "reason", reason).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private static TlsClients client(String principal) {
        return new TlsClients(certificates.caTrustStore(), certificates.issueClient(principal, dir.resolve(principal + ".p12")),
                certificates.password());
    }

    private static void writeAcl(String principal, AclEntry.Action action, AclEntry.Effect effect, String filter) throws Exception {
        AclTopic.write(kafka.bootstrapServers(), principal, action, effect, filter);
    }

    private static String streamUrl() {
        return "wss://localhost:" + edge.httpPort() + "/v1/stream";
    }

    private static String mqttUri() {
        return "ssl://localhost:" + edge.port("MQTT").orElseThrow();
    }

    private static HttpResponse<String> publish(TlsClients tls, String token, String topic, String eventId) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls.sslContext()).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = TlsClients.publishRequest("https", edge.httpPort(), topic, eventId);
        if (token != null) {
            request = HttpRequest.newBuilder(request, (name, value) -> true).header("Authorization", "Bearer " + token).build();
        }
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String subscribeRequest(String pattern) {
        return "{\"clientId\":\"t\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + pattern + "\"}";
    }

    private static MqttConnectionOptions mqttOptions(TlsClients tls) throws Exception {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(tls.sslContext().getSocketFactory());
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        return options;
    }

    /** An MQTT 5 client over TLS presenting {@code tls}'s certificate, with {@code token} as password unless {@code null}. */
    private static MqttAsyncClient mqtt(TlsClients tls, String token) throws Exception {
        MqttConnectionOptions options = mqttOptions(tls);
        if (token != null) {
            options.setPassword(token.getBytes(StandardCharsets.UTF_8));
        }
        MqttAsyncClient client = new MqttAsyncClient(mqttUri(), "cert-" + UUID.randomUUID(), new MemoryPersistence());
        client.connect(options).waitForCompletion(WAIT.toMillis());
        return client;
    }

    // A negative SUBACK completes the token with an exception; its reason codes are what the test reads.
    private static IMqttToken subscribe(MqttAsyncClient client, String filter) throws MqttException {
        IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)});
        try {
            token.waitForCompletion(WAIT.toMillis());
        } catch (MqttException e) {
            if (!token.isComplete()) {
                throw e;
            }
        }
        return token;
    }

    /** Records the topic of each message an MQTT client receives. */
    private record MqttCallbacks(List<String> topics) implements org.eclipse.paho.mqttv5.client.MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            topics.add(topic);
        }

        @Override
        public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
        }
    }
}
