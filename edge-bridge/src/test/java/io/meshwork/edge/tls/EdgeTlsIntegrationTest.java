package io.meshwork.edge.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.core.tls.ClientAuth;
import io.meshwork.core.tls.LocalCertificates;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.StreamClient;
import io.meshwork.edge.grpc.GrpcStreamClient;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.ExtraListener;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.PublishServiceGrpc;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on every edge listener, with real clients of each protocol: one embedded Kafka, one edge
 * serving https/wss, gRPC and MQTT over TLS (no client certificates, as {@code ./mesh up --secure}),
 * and one HTTP-only edge that requires client certificates (mTLS). The cluster also has an SSL
 * listener requiring client certificates, for an edge whose Kafka clients use SSL ({@code kafka.*}).
 */
@Tag("integration")
@Timeout(120)
class EdgeTlsIntegrationTest {

    private static final String REGION = "us-east-1";
    private static final String KAFKA_SSL = "KAFKA_SSL";

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static LocalCertificates certificates;
    private static EdgeBridge edge;
    private static EdgeBridge mtlsEdge;
    private static TlsClients clients;

    @BeforeAll
    static void start() throws Exception {
        certificates = LocalCertificates.ensure(dir.resolve("certs"));
        kafka = EmbeddedKafkaCluster.start(sslListener(KafkaClusterSpec.named(REGION)));
        new TopicApplier(kafka.admin(), REGION).apply(TopicContract.embedded(REGION, List.of()).topics(), TopicApplier.Mode.CREATE_MISSING);
        EdgeConfig config = EdgeConfig.defaults(REGION, KafkaClients.of(kafka.bootstrapServers())).withHttp("127.0.0.1", 0);
        edge = EdgeBridge.start(config.withGrpc(0).withMqtt(0), certificates.serverSettings(ClientAuth.NONE));
        mtlsEdge = EdgeBridge.start(config, certificates.serverSettings(ClientAuth.REQUIRED));
        clients = new TlsClients(certificates.caTrustStore(), null, certificates.password());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {mtlsEdge, edge, kafka}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @Test
    void httpsPublishReachesWssAndGrpcOverTlsSubscribers() throws Exception {
        ManagedChannel channel = clients.grpcChannel(edge.port("gRPC").orElseThrow());
        try (StreamClient wss = StreamClient.connect("wss://localhost:" + edge.httpPort() + "/v1/stream", clients.webSocketClient());
             GrpcStreamClient grpc = GrpcStreamClient.open(channel)) {
            wss.subscribe("tls/#");
            grpc.subscribe("tls/#");
            String eventId = "evt-" + UUID.randomUUID();

            HttpResponse<String> response = clients.publish(edge.httpPort(), "tls/https", eventId);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(wss.awaitEvent(eventId).getTopic()).isEqualTo("tls/https");
            assertThat(grpc.awaitEvent(eventId).getTopic()).isEqualTo("tls/https");
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void grpcPublishOverTlsIsAccepted() throws Exception {
        ManagedChannel channel = clients.grpcChannel(edge.port("gRPC").orElseThrow());
        try {
            String eventId = "evt-" + UUID.randomUUID();
            var response = PublishServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .publish(PublishRequest.newBuilder().setEventId(eventId).setTopic("tls/grpc").setType("test.event")
                            .setSource("/tests").setPayloadBytes(ByteString.copyFromUtf8("{}")).build());
            assertThat(response.getStatus()).isEqualTo("ACCEPTED");
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void mqttOverTlsPublishesAndSubscribes() throws Exception {
        MqttClient client = mqtt("ssl", "tls-mqtt-" + UUID.randomUUID());
        try {
            client.connect(mqttOptions(clients));
            List<String> received = new CopyOnWriteArrayList<>();
            client.subscribe("tls/mqtt", 1, (topic, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));

            client.publish("tls/mqtt", "over-tls".getBytes(StandardCharsets.UTF_8), 1, false);

            await().atMost(Duration.ofSeconds(20)).until(() -> received.contains("over-tls"));
        } finally {
            client.disconnectForcibly(1000);
            client.close();
        }
    }

    @Test
    void plaintextToTheTlsPortsIsRefusedAndTheEdgeStaysUp() throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> plain.send(TlsClients.publishRequest("http", edge.httpPort(), "tls/plain", "evt-plain"),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);

        ManagedChannel plainGrpc = NettyChannelBuilder.forAddress("127.0.0.1", edge.port("gRPC").orElseThrow()).usePlaintext().build();
        try {
            assertThatThrownBy(() -> PublishServiceGrpc.newBlockingStub(plainGrpc).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .publish(PublishRequest.newBuilder().setEventId("evt-plain").setTopic("tls/plain").setType("t").setSource("/s").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            plainGrpc.shutdownNow();
        }

        MqttClient plainMqtt = mqtt("tcp", "plain-" + UUID.randomUUID());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setConnectionTimeout(5);
        assertThatThrownBy(() -> plainMqtt.connect(options)).isInstanceOf(MqttException.class);
        plainMqtt.close();

        // Still serving TLS on every port.
        assertThat(clients.publish(edge.httpPort(), "tls/after", "evt-" + UUID.randomUUID()).statusCode()).isEqualTo(202);
        MqttClient client = mqtt("ssl", "after-" + UUID.randomUUID());
        client.connect(mqttOptions(clients));
        client.disconnect();
        client.close();
    }

    @Test
    void mtlsAcceptsACertificateFromTheCaAndRefusesNoneOrAnUnknownCa() throws Exception {
        Path known = certificates.issueClient("billing-service", dir.resolve("billing.p12"));
        LocalCertificates other = LocalCertificates.ensure(dir.resolve("other-ca"));
        Path unknown = other.issueClient("intruder", dir.resolve("intruder.p12"));
        // The intruder's store has its own password; the client trusts our CA either way.
        TlsClients withKnown = new TlsClients(certificates.caTrustStore(), known, certificates.password());

        assertThat(withKnown.publish(mtlsEdge.httpPort(), "tls/mtls", "evt-" + UUID.randomUUID()).statusCode()).isEqualTo(202);
        assertThatThrownBy(() -> clients.publish(mtlsEdge.httpPort(), "tls/mtls", "evt-none")).isInstanceOf(IOException.class);
        TlsClients withUnknown = new TlsClients(certificates.caTrustStore(), unknown, other.password());
        assertThatThrownBy(() -> withUnknown.publish(mtlsEdge.httpPort(), "tls/mtls", "evt-unknown")).isInstanceOf(IOException.class);
        assertThat(withKnown.publish(mtlsEdge.httpPort(), "tls/mtls", "evt-" + UUID.randomUUID()).statusCode()).isEqualTo(202);
    }

    @Test
    void refusedHttpsHandshakesAreCountedByReason() throws Exception {
        double plaintext = handshakesFailed("plaintext");
        double noCertificate = handshakesFailed("no_client_certificate");
        double unknownCa = handshakesFailed("unknown_ca");
        LocalCertificates other = LocalCertificates.ensure(dir.resolve("counted-ca"));
        // One password for the client's two stores: the stranger's key store under ours, so the client trusts our CA.
        TlsClients withUnknown = new TlsClients(certificates.caTrustStore(), TlsClients.rekeyed(other.issueClient("stranger",
                dir.resolve("stranger.p12")), other.password(), certificates.password(), dir.resolve("stranger-rekeyed.p12")),
                certificates.password());

        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> plain.send(TlsClients.publishRequest("http", edge.httpPort(), "tls/plain", "evt-counted"),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> clients.publish(mtlsEdge.httpPort(), "tls/mtls", "evt-none")).isInstanceOf(IOException.class);
        HttpClient presentingUnknown = HttpClient.newBuilder().sslContext(withUnknown.sslContextPresentingAnyway())
                .connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> presentingUnknown.send(TlsClients.publishRequest("https", mtlsEdge.httpPort(), "tls/mtls", "evt-unknown"),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);

        // Jetty reports a failed handshake once it has closed the connection, just after the client saw it fail.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(handshakesFailed("plaintext") - plaintext).isEqualTo(1);
            assertThat(handshakesFailed("no_client_certificate") - noCertificate).isEqualTo(1);
            assertThat(handshakesFailed("unknown_ca") - unknownCa).isEqualTo(1);
        });
    }

    private static double handshakesFailed(String reason) {
        return io.meshwork.core.metrics.MeshMetrics.registry().find("mesh.edge.tls.handshake.failed")
                .tags("region", REGION, "protocol", "https", "reason", reason).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Test
    void aReplacedServerCertificateIsServedToNewConnections() throws Exception {
        BigInteger before = servedSerial(edge.httpPort());

        certificates.issueServer(certificates.serverKeyStore());

        await().atMost(Duration.ofSeconds(10)).until(() -> !servedSerial(edge.httpPort()).equals(before));
        assertThat(clients.publish(edge.httpPort(), "tls/reloaded", "evt-" + UUID.randomUUID()).statusCode()).isEqualTo(202);
    }

    @Test
    void anEdgeWhoseKafkaClientsUseMutualTlsPublishesAndDelivers() throws Exception {
        Path edgeKeys = certificates.issueClient("edge-us-east-1", dir.resolve("edge-kafka.p12"));
        KafkaClients overSsl = KafkaClients.of("127.0.0.1:" + kafka.listenerPort(KAFKA_SSL))
                .with("security.protocol", "SSL")
                .with("ssl.truststore.type", "PKCS12")
                .with("ssl.truststore.location", certificates.caTrustStore().toString())
                .with("ssl.truststore.password", certificates.password())
                .with("ssl.keystore.type", "PKCS12")
                .with("ssl.keystore.location", edgeKeys.toString())
                .with("ssl.keystore.password", certificates.password())
                .with("ssl.key.password", certificates.password());
        try (EdgeBridge sslEdge = EdgeBridge.start(EdgeConfig.defaults(REGION, overSsl).withHttp("127.0.0.1", 0))) {
            // On a loaded machine a just-started Jetty can take longer than the stream client's connect timeout.
            HttpClient plain = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).until(() -> plain.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + sslEdge.httpPort() + "/v1/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            publishAndDeliver(sslEdge);
        }
    }

    private static void publishAndDeliver(EdgeBridge sslEdge) throws Exception {
        try (StreamClient subscriber = StreamClient.connect("ws://127.0.0.1:" + sslEdge.httpPort() + "/v1/stream")) {
            subscriber.subscribe("kafka-ssl/#");
            String eventId = "evt-" + UUID.randomUUID();

            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    TlsClients.publishRequest("http", sslEdge.httpPort(), "kafka-ssl/orders", eventId),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(subscriber.awaitEvent(eventId).getTopic()).isEqualTo("kafka-ssl/orders");
        }
    }

    /** An SSL listener with the generated server certificate that requires client certificates from the CA. */
    private static KafkaClusterSpec sslListener(KafkaClusterSpec spec) {
        KafkaClusterSpec ssl = spec.withExtraListener(ExtraListener.ssl(KAFKA_SSL));
        for (java.util.Map.Entry<String, String> property : certificates.kafkaSslListener(KAFKA_SSL).entrySet()) {
            ssl = ssl.withBrokerProperty(property.getKey(), property.getValue());
        }
        return ssl;
    }

    private static BigInteger servedSerial(int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) clients.sslContext().getSocketFactory().createSocket("localhost", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static MqttClient mqtt(String scheme, String clientId) throws MqttException {
        return new MqttClient(scheme + "://localhost:" + edge.port("MQTT").orElseThrow(), clientId, new MemoryPersistence());
    }

    private static MqttConnectOptions mqttOptions(TlsClients tls) throws Exception {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(tls.sslContext().getSocketFactory());
        options.setConnectionTimeout(10);
        options.setCleanSession(true);
        return options;
    }
}
