package io.meshwork.controlplane.internal.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.meshwork.controlplane.LinkAdmin;
import io.meshwork.controlplane.internal.JsonAnswers;
import io.meshwork.controlplane.internal.feeds.LinkStates;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.topology.Topology;
import java.util.Map;

/**
 * The operator dashboard on the control plane's port: plain HTML and JavaScript served from the
 * jar ({@code /public/dashboard} on the classpath, at {@code /}), reading the ops API and two
 * endpoints that exist only for it: the live map ({@link DashboardFeed}) and every region's
 * interest ({@code GET /v1/dashboard/interest}, {@link RegionInterest}).
 */
public final class Dashboard implements AutoCloseable {

    /** Classpath folder of the pages. */
    public static final String ASSETS = "/public/dashboard";

    private final DashboardFeed feed;
    private final RegionInterest interest;

    /** @param links the WAN switch, or {@code null} where there is none (the drills page is hidden) */
    public Dashboard(Topology topology, LinkAdmin links, LinkStates states, Map<String, KafkaClients> regionKafka) {
        this.feed = new DashboardFeed(topology, links, states);
        this.interest = new RegionInterest(regionKafka);
    }

    /** Adds the pages and the dashboard's endpoints to the control plane's server. */
    public void install(JavalinConfig javalin) {
        javalin.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = ASSETS;
            files.location = Location.CLASSPATH;
        });
        javalin.routes.get("/v1/dashboard/snapshot", feed::get);
        javalin.routes.sse("/v1/dashboard/stream", feed::subscribe);
        javalin.routes.get("/v1/dashboard/interest", ctx -> JsonAnswers.json(ctx, 200, Map.of("regions", interest.view())));
    }

    public void start() {
        feed.start();
    }

    @Override
    public void close() {
        feed.close();
        interest.close();
    }
}
