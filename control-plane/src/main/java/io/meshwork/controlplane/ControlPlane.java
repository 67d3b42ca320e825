package io.meshwork.controlplane;

import io.meshwork.controlplane.internal.AdminGuard;
import io.meshwork.controlplane.internal.acls.AclDistribution;
import io.meshwork.controlplane.internal.acls.AclEntries;
import io.meshwork.controlplane.internal.acls.AclRoutes;
import io.meshwork.core.auth.AuthSettings;
import io.javalin.Javalin;
import io.meshwork.controlplane.internal.AdminRoutes;
import io.meshwork.controlplane.internal.Housekeeping;
import io.meshwork.controlplane.internal.JsonAnswers;
import io.meshwork.controlplane.internal.LinkDrills;
import io.meshwork.controlplane.internal.OpsViews;
import io.meshwork.controlplane.internal.dashboard.Dashboard;
import io.meshwork.controlplane.internal.db.ControlPlaneDatabase;
import io.meshwork.controlplane.internal.directory.BrokerDirectory;
import io.meshwork.controlplane.internal.directory.DirectoryRoutes;
import io.meshwork.controlplane.internal.feeds.LinkStates;
import io.meshwork.controlplane.internal.feeds.RegionFeed;
import io.meshwork.controlplane.internal.ops.OpsQueries;
import io.meshwork.controlplane.internal.otlp.SpanExport;
import io.meshwork.controlplane.internal.ops.OpsRoutes;
import io.meshwork.controlplane.internal.rules.RoutingRules;
import io.meshwork.controlplane.internal.rules.RuleInterest;
import io.meshwork.controlplane.internal.rules.RuleRoutes;
import io.meshwork.controlplane.internal.traces.TraceQueries;
import io.meshwork.controlplane.internal.traces.TraceRoutes;
import io.meshwork.controlplane.internal.traces.TraceWriter;
import java.util.ArrayList;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.tls.JettyTls;
import io.meshwork.core.tls.ServerTls;
import io.meshwork.core.tls.TlsSettings;
import io.meshwork.topology.Topology;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's ops API (DESIGN.md 2.5): {@code GET /v1/health}, {@code GET /v1/topology},
 * {@code GET /metrics}, and, when a {@link LinkAdmin} is given (the embedded mesh), the WAN
 * drills {@code POST /v1/admin/links/{a}/{b}/cut|heal|flap} and
 * {@code POST /v1/admin/regions/{region}/isolate|rejoin}.
 *
 * <p>Beside the API it keeps the mesh's PostgreSQL (embedded by default, migrated at start): the
 * broker directory fed by every region's {@code mesh.heartbeats} ({@code GET /v1/brokers},
 * {@code GET /v1/brokers/allocate}), routing rules written as standing interest
 * ({@code /v1/rules}), topic permissions copied to every region's {@code mesh.acls} for the
 * edges ({@code /v1/acls}), sampled traces read from every region's {@code mesh.traces}
 * ({@code GET /v1/traces/{eventId}}) and the ops queries over them ({@code GET /v1/ops/...}).
 * With {@link OtlpSettings} enabled, each stored trace hop is also sent to an OpenTelemetry
 * collector as a span.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private final Javalin http;
    private final LinkDrills drills;
    private final ControlPlaneDatabase database;
    private final List<RegionFeed> feeds;
    private final RuleInterest ruleInterest;
    private final Housekeeping housekeeping;
    private final LinkStates linkStates;
    private final Dashboard dashboard;
    private final AclDistribution acls;
    /** The OTLP export of trace hops, or {@code null} when off. */
    private final SpanExport spanExport;

    private ControlPlane(Javalin http, LinkDrills drills, ControlPlaneDatabase database, List<RegionFeed> feeds,
                         RuleInterest ruleInterest, Housekeeping housekeeping, LinkStates linkStates, Dashboard dashboard,
                         AclDistribution acls, SpanExport spanExport) {
        this.acls = acls;
        this.spanExport = spanExport;
        this.dashboard = dashboard;
        this.linkStates = linkStates;
        this.http = http;
        this.drills = drills;
        this.database = database;
        this.feeds = feeds;
        this.ruleInterest = ruleInterest;
        this.housekeeping = housekeeping;
    }

    /**
     * Starts the ops API.
     *
     * @param links  the WAN switch, or {@code null} where links cannot be cut from here
     * @param checks the parts {@code /v1/health} reports on
     */
    public static ControlPlane start(ControlPlaneConfig config, Topology topology, LinkAdmin links, List<HealthCheck> checks) {
        return start(config, topology, links, checks, TlsSettings.OFF, AuthSettings.OFF);
    }

    /** As {@link #start(ControlPlaneConfig, Topology, LinkAdmin, List)}, serving https on the same port when {@code tls} is on. */
    public static ControlPlane start(ControlPlaneConfig config, Topology topology, LinkAdmin links, List<HealthCheck> checks,
                                     TlsSettings tlsSettings) {
        return start(config, topology, links, checks, tlsSettings, AuthSettings.OFF);
    }

    /**
     * Starts the ops API as {@link #start(ControlPlaneConfig, Topology, LinkAdmin, List)} does; with
     * {@code auth} enabled, the admin API needs a token with the admin role ({@link AdminGuard}).
     */
    public static ControlPlane start(ControlPlaneConfig config, Topology topology, LinkAdmin links, List<HealthCheck> checks,
                                     AuthSettings auth) {
        return start(config, topology, links, checks, TlsSettings.OFF, auth);
    }

    /** As {@link #start(ControlPlaneConfig, Topology, LinkAdmin, List)}, with TLS and the admin API's token check as configured. */
    public static ControlPlane start(ControlPlaneConfig config, Topology topology, LinkAdmin links, List<HealthCheck> checks,
                                     TlsSettings tlsSettings, AuthSettings auth) {
        AdminGuard guard = auth.enabled() ? new AdminGuard(auth) : null; // bad keys fail before anything starts
        ServerTls tls = tlsSettings.enabled() ? ServerTls.open(tlsSettings) : null;
        ControlPlaneDatabase database = ControlPlaneDatabase.open(config.database());
        BrokerDirectory directory = new BrokerDirectory(database.dsl());
        RoutingRules rules = new RoutingRules(database.dsl());
        RuleInterest ruleInterest = new RuleInterest(config.regionKafka());
        Housekeeping housekeeping = new Housekeeping(database, directory, rules, ruleInterest, config.nodeTimeout());
        SpanExport spanExport = config.otlp().enabled() ? new SpanExport(config.otlp()) : null;
        TraceWriter traceWriter = spanExport == null ? new TraceWriter(database.dsl(), directory)
                : new TraceWriter(database.dsl(), directory, spanExport);
        List<RegionFeed> feeds = new ArrayList<>();
        config.regionKafka().forEach((region, kafka) -> feeds.add(new RegionFeed(region, kafka, directory, traceWriter)));
        DirectoryRoutes brokers = new DirectoryRoutes(directory);
        RuleRoutes ruleRoutes = new RuleRoutes(rules, housekeeping::syncRules);
        TraceRoutes traces = new TraceRoutes(new TraceQueries(database.dsl()));
        OpsRoutes ops = new OpsRoutes(new OpsQueries(database.dsl()));
        AclEntries aclEntries = new AclEntries(database.dsl());
        AclDistribution acls = new AclDistribution(config.regionKafka(), () -> aclEntries.list(null));
        AclRoutes aclRoutes = new AclRoutes(aclEntries, acls);
        List<HealthCheck> parts = new ArrayList<>(checks);
        parts.add(new HealthCheck("control-plane/database", () -> database.isReachable()));
        LinkDrills drills = new LinkDrills(topology, links);
        LinkStates linkStates = new LinkStates(config.regionKafka());
        AdminRoutes admin = new AdminRoutes(topology, links, drills);
        Dashboard dashboard = new Dashboard(topology, links, linkStates, config.regionKafka());
        Javalin http = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            javalin.jetty.host = config.host();
            javalin.jetty.port = config.port();
            if (tls != null) {
                javalin.jetty.addConnector((server, httpConfig) -> JettyTls.connector(server, httpConfig, tls, config.host(), config.port()));
            }
            javalin.routes.get("/v1/health", ctx -> {
                Map<String, Object> health = OpsViews.health(topology.mesh(), parts);
                JsonAnswers.json(ctx, "UP".equals(health.get("status")) ? 200 : 503, health);
            });
            javalin.routes.get("/v1/topology", ctx -> JsonAnswers.json(ctx, 200, OpsViews.topology(topology, links, linkStates)));
            javalin.routes.get("/metrics", ctx -> ctx.contentType(MeshMetrics.CONTENT_TYPE).result(MeshMetrics.scrape()));
            if (guard != null) {
                javalin.routes.before("/v1/admin/*", guard);
                javalin.routes.before("/v1/rules", guard);
                javalin.routes.before("/v1/rules/*", guard);
                javalin.routes.before("/v1/brokers/*", guard);
                javalin.routes.before("/v1/acls", guard);
                javalin.routes.before("/v1/acls/*", guard);
            }
            javalin.routes.post("/v1/admin/links/{a}/{b}/{action}", admin::link);
            javalin.routes.post("/v1/admin/regions/{region}/{action}", admin::region);
            javalin.routes.get("/v1/brokers", brokers::list);
            javalin.routes.get("/v1/brokers/allocate", brokers::allocate);
            javalin.routes.put("/v1/brokers/{id}/status", brokers::setStatus);
            javalin.routes.post("/v1/rules", ruleRoutes::create);
            javalin.routes.get("/v1/rules", ruleRoutes::list);
            javalin.routes.get("/v1/rules/{id}", ruleRoutes::get);
            javalin.routes.put("/v1/rules/{id}", ruleRoutes::update);
            javalin.routes.delete("/v1/rules/{id}", ruleRoutes::delete);
            javalin.routes.post("/v1/acls", aclRoutes::create);
            javalin.routes.get("/v1/acls", aclRoutes::list);
            javalin.routes.get("/v1/acls/{id}", aclRoutes::get);
            javalin.routes.delete("/v1/acls/{id}", aclRoutes::delete);
            javalin.routes.get("/v1/traces/{eventId}", traces::get);
            javalin.routes.get("/v1/ops/busiest-topics", ops::busiestTopics);
            javalin.routes.get("/v1/ops/link-latency", ops::linkLatency);
            javalin.routes.get("/v1/ops/hop-counts", ops::hopCounts);
            javalin.routes.get("/v1/ops/origins", ops::origins);
            dashboard.install(javalin);
        }).start();
        feeds.forEach(RegionFeed::start);
        housekeeping.start();
        dashboard.start();
        acls.start();
        LOG.info("control plane listening on {}:{}{}, reading heartbeats and traces of {}", config.host(), http.port(),
                tls == null ? "" : " (https)",
                config.regionKafka().keySet());
        return new ControlPlane(http, drills, database, List.copyOf(feeds), ruleInterest, housekeeping, linkStates, dashboard, acls,
                spanExport);
    }

    /** The bound port of the ops API. */
    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        // Feeds first: on Ctrl-C the embedded database's own shutdown hook may already be stopping it.
        for (RegionFeed feed : feeds) {
            try {
                feed.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (spanExport != null) {
            spanExport.close(); // after the feeds: the hops they stored last still go out
        }
        dashboard.close();
        acls.close();
        linkStates.close();
        drills.close();
        http.stop();
        housekeeping.close();
        ruleInterest.close();
        database.close();
    }
}
