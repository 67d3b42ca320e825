package io.meshwork.edge.internal.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.tls.ServerTls;
import io.meshwork.core.tls.TlsSettings;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.internal.EdgeContext;
import io.meshwork.edge.internal.ProtocolListener;
import io.meshwork.edge.internal.ingress.Ingress;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import io.meshwork.edge.internal.retained.RetainedFollower;
import io.meshwork.edge.internal.retained.RetainedWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 3.1.1 and 5 on the edge: an embedded HiveMQ Community Edition broker with the mesh's own
 * extension. MQTT topic = mesh topic; a PUBLISH becomes a CloudEvent on {@code mesh.events}
 * (acknowledged once Kafka has it), a SUBSCRIBE becomes interest of the edge, and events come
 * back from Kafka to the broker, which delivers them to its sessions.
 *
 * <p>Each listener has its own temp folders (deleted on close), in-memory persistence and its
 * own extension instance, so several run side by side in one JVM.
 */
public final class MqttListener implements ProtocolListener {

    private static final Logger LOG = LoggerFactory.getLogger(MqttListener.class);
    /** HiveMQ publishes its services through a static registry while an instance starts; one start at a time. */
    private static final Object STARTING = new Object();
    private static final int FREE_PORT_ATTEMPTS = 3;
    /** Room for topic, properties and headers beside the largest payload. */
    private static final int PACKET_OVERHEAD = 64 * 1024;
    /** How long the listener's start may take to load the region's retained messages into the broker. */
    private static final Duration RETAINED_LOAD_WAIT = Duration.ofSeconds(60);

    private EmbeddedHiveMQ broker;
    private HiveMqFolders folders;
    private MqttSubscriber subscriber;
    private MqttInterest interest;
    private MqttGroupMembers groupMembers;
    private ScheduledExecutorService timer;
    private MqttQueueOverflow overflow;
    private int port = -1;
    private MqttRetainedStore retainedStore;
    private volatile RetainedFollower retainedFollower;
    private final ServerTls tls;

    /** A plaintext MQTT listener. */
    public MqttListener() {
        this(null);
    }

    /** An MQTT listener serving TLS over {@code tls}'s stores; {@code null}: plaintext. */
    public MqttListener(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    public String protocol() {
        return "MQTT";
    }

    @Override
    public void start(EdgeContext context) throws Exception {
        EdgeConfig config = context.config();
        String region = config.region();
        subscriber = new MqttSubscriber("MQTT listener of " + region);
        interest = new MqttInterest(context.registry(), subscriber);
        groupMembers = new MqttGroupMembers(context.registry(), region);
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mqtt-sessions-" + region);
            thread.setDaemon(true);
            return thread;
        });
        MqttEventReader reader = new MqttEventReader(config.maxPayloadBytes());
        ExtensionExecutor answers = new ExtensionExecutor();
        Ingress ingress = context.ingress(IngressProtocol.MQTT, answers);
        KafkaEventCodec codec = new KafkaEventCodec(region, config.brokerId());
        MqttRetainedPublishes retained = new MqttRetainedPublishes(reader, ingress, new RetainedWriter(context.publisher(), region, codec),
                answers, region, config.brokerId(), this::retainedAppliedThrough);
        retainedStore = new MqttRetainedStore(region, codec);
        MqttWills wills = new MqttWills(reader, ingress, timer, region, retained, context.auth());
        HeldSubscriptions held = new HeldSubscriptions(region);
        overflow = new MqttQueueOverflow(region, config.mqttSessions());
        RestoredSessions restored = new RestoredSessions(region);
        MqttTokenExpiry tokenExpiry = new MqttTokenExpiry(region);
        MqttUnsubscribeInterceptor unsubscribes = new MqttUnsubscribeInterceptor(interest, groupMembers, region);
        MqttRevocations revocations = new MqttRevocations(region, unsubscribes::release);
        MqttSessions sessions = new MqttSessions(interest, groupMembers, wills, timer, region, tokenExpiry, revocations);
        MeshExtension extension = new MeshExtension(subscriber, answers,
                new MqttPublishInterceptor(reader, ingress, region, retained, context.auth()),
                new MqttSubscriptionAuthorizer(interest, held, region, context.activation(), config.mqttSubackHold(),
                        new MqttDeliveryPolicy(config.mqttSessions().overflow()), groupMembers),
                unsubscribes,
                sessions,
                wills, new MqttDeliveryInterceptor(region), retainedStore, held, overflow, restored, new MqttGroups(region),
                context.auth(), tokenExpiry, groupMembers, revocations);
        int attempts = config.mqttPort() == 0 ? FREE_PORT_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            int candidate = config.mqttPort() == 0 ? freePort(config.httpHost()) : config.mqttPort();
            try {
                startBroker(config, candidate, extension);
                port = candidate;
                break;
            } catch (Error e) {
                stopBroker();
                throw e;
            } catch (Exception e) {
                stopBroker();
                // A free port can be taken between probing and binding; try another one.
                if (attempt >= attempts) {
                    throw new IllegalStateException("region " + region + ": MQTT listener could not start on "
                            + config.httpHost() + ":" + candidate + " (port in use?): " + e, e);
                }
                LOG.debug("region {}: MQTT listener failed on port {}, retrying: {}", region, candidate, e.toString());
            }
        }
        // Served on subscribe from the broker's own store, which holds the region's retained messages before clients come.
        retainedFollower = RetainedFollower.start(config.kafka(), region, retainedStore, "mqtt-" + region, RETAINED_LOAD_WAIT);
        overflow.start(timer);
        if (config.mqttSessions().dataDir() != null) {
            restored.restore(interest, sessions, 30);
        }
    }

    private CompletableFuture<Void> retainedAppliedThrough(long offset) {
        RetainedFollower follower = retainedFollower;
        // Before the follower started, it reads everything up to the end before clients can subscribe.
        return follower == null ? CompletableFuture.completedFuture(null) : follower.appliedThrough(offset);
    }

    private void startBroker(EdgeConfig config, int candidate, MeshExtension extension) throws Exception {
        long started = System.nanoTime();
        folders = HiveMqFolders.create(config.region(), config.mqttSessions().dataDir());
        folders.writeConfig(config.httpHost(), candidate, config.maxPayloadBytes() + PACKET_OVERHEAD, config.mqttSessions(),
                tls == null ? TlsSettings.OFF : tls.settings());
        broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(folders.config)
                .withDataFolder(folders.data)
                .withExtensionsFolder(folders.extensions)
                .withoutLoggingBootstrap()
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("meshwork-edge-" + config.region())
                        .withName("Meshwork edge")
                        .withVersion("1")
                        .withAuthor("Meshwork")
                        .withExtensionMain(extension)
                        .build())
                .build();
        synchronized (STARTING) {
            InflightWindow.set(config.mqttInflightWindow());
            PersistenceShutdownGrace.apply();
            broker.start().get(60, TimeUnit.SECONDS);
        }
        // A failed extension start does not fail the broker's; this does.
        extension.started().get(0, TimeUnit.SECONDS);
        LOG.debug("region {}: HiveMQ started in {} ms", config.region(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        if (retainedFollower != null) {
            retainedFollower.close();
        }
        if (subscriber != null) {
            subscriber.unbind();
        }
        if (groupMembers != null) {
            groupMembers.unbind();
        }
        if (overflow != null) {
            overflow.close();
        }
        stopBroker();
        if (interest != null) {
            interest.clear();
        }
        if (groupMembers != null) {
            groupMembers.clear();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void stopBroker() {
        try {
            if (broker != null) {
                broker.close();
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("MQTT broker did not stop cleanly: {}", e.toString());
        } finally {
            broker = null;
            if (folders != null) {
                folders.close();
                folders = null;
            }
        }
    }
}
