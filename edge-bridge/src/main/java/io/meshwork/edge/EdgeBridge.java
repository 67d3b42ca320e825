package io.meshwork.edge;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.util.ConcurrencyUtil;
import io.meshwork.core.auth.AuthSettings;
import io.meshwork.core.directory.HeartbeatSender;
import io.meshwork.core.directory.NodeRole;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.tls.JettyTls;
import io.meshwork.core.tls.TlsHandshakeFailures;
import io.meshwork.core.tls.ServerTls;
import io.meshwork.core.tls.TlsSettings;
import io.meshwork.edge.internal.EdgeContext;
import io.meshwork.edge.internal.ProtocolListener;
import io.meshwork.edge.internal.auth.AclFollower;
import io.meshwork.edge.internal.auth.EdgeAuth;
import io.meshwork.core.interest.DeliverySlot;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.edge.internal.delivery.DeliveryReadiness;
import io.meshwork.edge.internal.delivery.DeliverySlots;
import io.meshwork.edge.internal.delivery.LocalDelivery;
import io.meshwork.edge.internal.delivery.RoutedReadiness;
import io.meshwork.edge.internal.group.ConsumerGroups;
import io.meshwork.edge.internal.durable.DurableSubscriptions;
import io.meshwork.edge.internal.durable.FailoverGaps;
import io.meshwork.edge.internal.ingress.PublishThrottle;
import io.meshwork.core.interest.InterestPublisher;
import io.meshwork.edge.internal.interest.MeshActivation;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.http.HttpErrors;
import io.meshwork.edge.internal.http.JsonResponse;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import io.meshwork.edge.internal.publish.EventPublisher;
import io.meshwork.edge.internal.schema.SchemaGate;
import io.meshwork.edge.internal.publish.HttpEventReader;
import io.meshwork.edge.internal.publish.PublishHandler;
import io.meshwork.edge.internal.publish.PublishRequestReader;
import io.meshwork.edge.internal.stream.StreamPublishing;
import io.meshwork.edge.internal.stream.StreamEndpoint;
import io.meshwork.edge.internal.stream.SubscriptionRegistry;
import io.meshwork.edge.internal.traces.EdgeTracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One region's edge: speaks the client protocols and maps them to the regional Kafka cluster.
 *
 * <ul>
 *   <li>{@code POST /v1/events/publish}: CloudEvents HTTP binding, binary and structured mode;</li>
 *   <li>WebSocket {@code /v1/stream}: subscription requests in, event envelopes out;</li>
 *   <li>{@code GET /v1/health}, {@code GET /metrics} (Prometheus).</li>
 * </ul>
 *
 * <pre>{@code
 * try (EdgeBridge edge = EdgeBridge.start(EdgeConfig.defaults("us-east-1", "127.0.0.1:19092").withHttp("127.0.0.1", 18080))) {
 *     ...
 * }
 * }</pre>
 */
public final class EdgeBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeBridge.class);
    /** How long an edge with auth on waits at start for the control plane's ACL entries. */
    private static final Duration ACLS_LOAD_WAIT = Duration.ofSeconds(30);

    private final EdgeConfig config;
    private final EventPublisher publisher;
    private final LocalDelivery delivery;
    private final InterestPublisher interest;
    private final MeshActivation activation;
    private final Javalin http;
    private final List<ProtocolListener> listeners;
    private final EdgeTracing tracing;
    private final HeartbeatSender heartbeats;
    private final DurableSubscriptions durables;
    private final AclFollower acls; // null with auth off
    private final SchemaGate schemas;
    private final SubscriptionRegistry registry;

    private EdgeBridge(EdgeConfig config, EventPublisher publisher, LocalDelivery delivery, InterestPublisher interest,
                       MeshActivation activation, Javalin http, List<ProtocolListener> listeners, EdgeTracing tracing,
                       HeartbeatSender heartbeats, DurableSubscriptions durables, AclFollower acls, SchemaGate schemas,
                       SubscriptionRegistry registry) {
        this.schemas = schemas;
        this.durables = durables;
        this.acls = acls;
        this.registry = registry;
        this.tracing = tracing;
        this.heartbeats = heartbeats;
        this.activation = activation;
        this.config = config;
        this.publisher = publisher;
        this.delivery = delivery;
        this.interest = interest;
        this.http = http;
        this.listeners = List.copyOf(listeners);
    }

    /** The bound port of {@code protocol} ("gRPC", "MQTT", "AMQP"), or empty when the edge does not serve it. */
    public java.util.OptionalInt port(String protocol) {
        return listeners.stream().filter(l -> l.protocol().equalsIgnoreCase(protocol)).mapToInt(ProtocolListener::port).findFirst();
    }

    /**
     * Starts the edge and returns once it accepts publishes and delivers every event published
     * from then on. The region's {@code mesh.events} topic must exist.
     */
    public static EdgeBridge start(EdgeConfig config) throws TimeoutException, InterruptedException {
        return start(config, TlsSettings.OFF, AuthSettings.OFF);
    }

    /**
     * Starts the edge as {@link #start(EdgeConfig)} does, serving TLS on its HTTP + WebSocket, gRPC
     * and MQTT ports when {@code tls} is on (the same ports; plaintext is then refused there).
     */
    public static EdgeBridge start(EdgeConfig config, TlsSettings tlsSettings) throws TimeoutException, InterruptedException {
        return start(config, tlsSettings, AuthSettings.OFF);
    }

    /**
     * Starts the edge as {@link #start(EdgeConfig)} does, authenticating and authorising its
     * clients as {@code auth} says ({@link EdgeKeys#auth}).
     */
    public static EdgeBridge start(EdgeConfig config, AuthSettings auth) throws TimeoutException, InterruptedException {
        return start(config, TlsSettings.OFF, auth);
    }

    /**
     * Starts the edge with TLS ({@link EdgeKeys#tls}) and token authentication ({@link EdgeKeys#auth})
     * as configured.
     *
     * @throws io.meshwork.core.config.InvalidSettingException naming the key when the token keys or key stores cannot be read
     */
    public static EdgeBridge start(EdgeConfig config, TlsSettings tlsSettings, AuthSettings auth)
            throws TimeoutException, InterruptedException {
        return start(config, tlsSettings, auth, SchemaSettings.OFF);
    }

    /**
     * Starts the edge as {@link #start(EdgeConfig, TlsSettings, AuthSettings)} does, checking published
     * payloads against the schemas an Apicurio Registry binds to their topics when {@code schemaSettings}
     * names one ({@link EdgeKeys#schemas}).
     */
    public static EdgeBridge start(EdgeConfig config, TlsSettings tlsSettings, AuthSettings auth, SchemaSettings schemaSettings)
            throws TimeoutException, InterruptedException {
        EdgeAuth edgeAuth = EdgeAuth.of(auth, config.region()); // before anything starts: bad keys fail fast
        ServerTls tls = tlsSettings.enabled() ? ServerTls.open(tlsSettings) : null;
        KafkaEventCodec codec = new KafkaEventCodec(config.region(), config.brokerId());
        String edgeId = "edge-" + config.region() + "-" + UUID.randomUUID().toString().substring(0, 8);
        // Routed delivery: the slot travels in the edge's id, which keys its interest (DeliverySlot).
        Optional<DeliverySlot> slot = config.delivery().isRouted()
                ? Optional.of(DeliverySlots.resolve(config.kafka(), config.region(), config.delivery(), edgeId))
                : Optional.empty();
        if (slot.isPresent()) {
            edgeId = slot.get().tag(edgeId);
            LOG.info("region {}: edge {} reads partition {} of {} (routed delivery)", config.region(), edgeId,
                    slot.get().partition(), MeshKafkaTopics.DELIVERIES);
        }
        InterestPublisher interest = new InterestPublisher(config.kafka(), config.region(), edgeId, config.leaseTtl(),
                config.interestGrace());
        RoutedReadiness routed = slot.isPresent() ? new RoutedReadiness(config.region(), interest, RoutedReadiness.DEFAULT_WAIT) : null;
        SubscriptionRegistry registry = new SubscriptionRegistry(interest, routed == null ? DeliveryReadiness.IMMEDIATE : routed,
                // Members of one group on several edges of the region share its events (Kafka consumer group).
                ConsumerGroups.sharedByRegion(config.region(), interest.edgeId(), config.groupLagFrames(),
                        config.kafka(), codec));
        MeshActivation activation = new MeshActivation(config.kafka(), config.region(), config.meshRegions());
        // The edge's name in the broker directory and on its trace hops is its interest id.
        EdgeTracing tracing = new EdgeTracing(config.kafka(), config.region(), interest.edgeId(), config.traceSampleRate());
        EventPublisher publisher = new EventPublisher(config.kafka(), "edge-" + config.region(), codec, tracing);
        // Non-durable failover gaps are counted on mesh.events, which only direct delivery reads.
        FailoverGaps gaps = slot.isEmpty() && config.durable().gapCountMax() > 0
                ? new FailoverGaps(config.kafka(), config.region(), codec, config.durable().tokenSecret(),
                        config.durable().gapCountMax())
                : null;
        LocalDelivery delivery = new LocalDelivery(config.kafka(), config.region(), codec, registry, tracing,
                slot.map(s -> OptionalInt.of(s.partition())).orElse(OptionalInt.empty()),
                routed == null ? marker -> { } : routed::markerSeen, gaps);
        PublishThrottle throttle = new PublishThrottle(config.durable().retryAfter());
        DurableSubscriptions durables = new DurableSubscriptions(config.kafka(), config.region(), interest.edgeId(), codec,
                interest, config.durable(), throttle, gaps);
        Javalin http = null;
        AclFollower acls = null;
        List<ProtocolListener> listeners = new ArrayList<>();
        SchemaGate schemas = SchemaGate.OFF;
        try {
            if (edgeAuth.enabled()) {
                acls = AclFollower.start(config.kafka(), config.region(), edgeAuth.acls(), edgeId, ACLS_LOAD_WAIT);
            }
            schemas = SchemaGate.start(schemaSettings, config.region());
            delivery.start(Duration.ofSeconds(60));
            interest.start();
            activation.start();
            EdgeContext context = new EdgeContext(config, registry, publisher, activation, durables, throttle, edgeAuth,
                    schemas);
            // Jetty's own pool (Javalin's default size) also answers HTTP and WebSocket publishes, so
            // that responses are written there and never on Kafka's producer I/O thread.
            ThreadPool jettyThreads = ConcurrencyUtil.jettyThreadPool("edge-http-" + config.region(), 8, 250, false);
            StreamPublishing streamPublishing = new StreamPublishing(new PublishRequestReader(config.maxPayloadBytes()),
                    context.ingress(IngressProtocol.WEBSOCKET, jettyThreads));
            StreamEndpoint stream = new StreamEndpoint(registry, activation, streamPublishing, config.region(),
                    config.subscriberQueue(), durables, edgeAuth);
            PublishHandler publish = new PublishHandler(new HttpEventReader(config.maxPayloadBytes()),
                    context.ingress(IngressProtocol.HTTP, jettyThreads), edgeAuth);
            http = Javalin.create(javalin -> {
                javalin.jetty.threadPool = jettyThreads;
                javalin.startup.showJavalinBanner = false;
                javalin.startup.showOldJavalinVersionWarning = false;
                // Room for a structured event whose data_base64 inflates the payload by a third;
                // the payload limit itself is checked by the reader, with a JSON 413.
                javalin.http.maxRequestSize = 2L * config.maxPayloadBytes() + 64 * 1024;
                javalin.jetty.host = config.httpHost();
                javalin.jetty.port = config.httpPort();
                if (tls != null) {
                    javalin.jetty.addConnector((server, httpConfig) -> JettyTls.connector(server, httpConfig, tls,
                            config.httpHost(), config.httpPort(), new TlsHandshakeFailures(config.region())));
                }
                javalin.jetty.modifyWebSocketServletFactory(factory -> {
                    factory.setMaxTextMessageSize(4L * StreamEndpoint.MAX_REQUEST_FRAME_CHARS);
                    factory.setIdleTimeout(Duration.ofMinutes(5));
                });
                javalin.routes.post("/v1/events/publish", publish);
                javalin.routes.wsBeforeUpgrade("/v1/stream", stream::beforeUpgrade);
                javalin.routes.ws("/v1/stream", stream);
                javalin.routes.get("/metrics", ctx -> ctx.contentType(MeshMetrics.CONTENT_TYPE).result(MeshMetrics.scrape()));
                javalin.routes.get("/v1/health", ctx -> JsonResponse.write(ctx, 200, Map.of(
                        "status", "UP",
                        "region", config.region(),
                        "webSocketConnections", stream.connectionCount(),
                        "subscriptionPatterns", registry.patternCount())));
                javalin.routes.exception(Refusal.class, (error, ctx) -> HttpErrors.respond(ctx, error));
                // Javalin's own refusals (a body beyond the hard request limit, say) get the same JSON shape.
                javalin.routes.exception(HttpResponseException.class, (error, ctx) -> JsonResponse.error(ctx, error.getStatus(),
                        HttpErrors.code(error.getStatus()), "body", error.getMessage()));
            }).start();
            LOG.info("region {}: edge listening on {}:{}{}", config.region(), config.httpHost(), http.port(),
                    tls == null ? "" : " (https, wss; client certificates " + tls.clientAuth().value() + ")");
            for (ProtocolListener listener : protocolListeners(config, tls)) {
                listeners.add(listener);
                listener.start(context);
                LOG.info("region {}: edge serving {} on port {}", config.region(), listener.protocol(), listener.port());
            }
            String host = config.httpHost().equals("0.0.0.0") ? "127.0.0.1" : config.httpHost();
            HeartbeatSender heartbeats = HeartbeatSender.start(config.kafka(), interest.edgeId(), NodeRole.EDGE,
                    config.region(), (tls == null ? "http://" : "https://") + host + ":" + http.port(), stream::connectionCount);
            return new EdgeBridge(config, publisher, delivery, interest, activation, http, listeners, tracing, heartbeats,
                    durables, acls, schemas, registry);
        } catch (Exception e) {
            if (acls != null) {
                acls.close();
            }
            schemas.close();
            listeners.forEach(ProtocolListener::close);
            if (http != null) {
                http.stop();
            }
            durables.close();
            delivery.close();
            interest.close();
            activation.close();
            publisher.close();
            tracing.close();
            if (e instanceof TimeoutException timeout) {
                throw timeout;
            }
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw e instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("region " + config.region() + ": edge failed to start: " + e.getMessage(), e);
        }
    }

    /** The protocol listeners {@code config} switches on, beside HTTP and WebSocket. */
    private static List<ProtocolListener> protocolListeners(EdgeConfig config, ServerTls tls) {
        List<ProtocolListener> listeners = new ArrayList<>();
        if (config.grpcPort() != EdgeConfig.DISABLED) {
            listeners.add(new io.meshwork.edge.internal.grpc.GrpcListener(tls));
        }
        if (config.mqttPort() != EdgeConfig.DISABLED) {
            listeners.add(new io.meshwork.edge.internal.mqtt.MqttListener(tls));
        }
        if (config.amqpPort() != EdgeConfig.DISABLED) {
            listeners.add(new io.meshwork.edge.internal.amqp.AmqpListener(tls));
        }
        return listeners;
    }

    /** The region this edge serves. */
    public String region() {
        return config.region();
    }

    /** Whether the edge still delivers events: its Kafka reader is running. */
    public boolean isHealthy() {
        return delivery.isRunning();
    }

    /**
     * Records the edge's delivery has read so far: all of {@code mesh.events} in direct mode,
     * its slot of {@code mesh.deliveries} in routed mode. What fan-out saves shows here.
     */
    public long deliveryRecordsRead() {
        return delivery.recordsRead();
    }

    /** The bound HTTP + WebSocket port. */
    public int httpPort() {
        return http.port();
    }

    /** The id under which this edge records its subscriptions on {@code mesh.interest}. */
    public String edgeId() {
        return interest.edgeId();
    }

    /** Stops and withdraws this edge's interest from the mesh. */
    @Override
    public void close() throws InterruptedException {
        heartbeats.close();
        schemas.close();
        listeners.forEach(ProtocolListener::close);
        http.stop();
        durables.close();
        registry.closeGroupFeeds();
        interest.close();
        activation.close();
        delivery.close();
        publisher.close();
        tracing.close();
        if (acls != null) {
            acls.close();
        }
    }

    /**
     * Stops as a crashed edge would: its interest is not withdrawn and stays in the mesh until
     * its lease expires. For failure drills and their tests.
     */
    public void crash() throws InterruptedException {
        heartbeats.abandon();
        interest.abandon();
        schemas.close();
        listeners.forEach(ProtocolListener::close);
        http.stop();
        durables.close();
        registry.closeGroupFeeds();
        activation.close();
        delivery.close();
        publisher.close();
        tracing.close();
        if (acls != null) {
            acls.close();
        }
    }
}
