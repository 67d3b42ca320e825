package io.meshwork.launcher.cli;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh chaos}: WAN drills on a running embedded mesh, through the control plane's admin
 * API: cut, heal or flap the link between two regions, isolate a region or let it rejoin.
 */
@Command(name = "chaos", aliases = "link", mixinStandardHelpOptions = true,
        description = {"WAN drills on a running embedded mesh:",
                "  mesh chaos cut|heal|flap A B     (both directions of the link between A and B)",
                "  mesh chaos isolate|rejoin R      (every link of region R)"})
final class ChaosCommand implements Callable<Integer> {

    private static final List<String> LINK_ACTIONS = List.of("cut", "heal", "flap");
    private static final List<String> REGION_ACTIONS = List.of("isolate", "rejoin");

    @Parameters(index = "0", paramLabel = "ACTION", description = "cut, heal, flap, isolate or rejoin")
    String action;

    @Parameters(index = "1..*", arity = "1..2", paramLabel = "REGION", description = "two regions (a link) or one (isolate, rejoin)")
    List<String> regions;

    @Option(names = "--times", defaultValue = "10", description = "flap: how many cut/heal cycles (default: ${DEFAULT-VALUE}).")
    int times;

    @Option(names = "--period", defaultValue = "PT2S", description = "flap: length of one cycle (default: 2 s, ISO-8601 like PT2S).")
    Duration period;

    @Mixin
    ControlPlaneOption controlPlane;

    @Override
    public Integer call() throws Exception {
        String path;
        if (LINK_ACTIONS.contains(action) && regions.size() == 2) {
            path = "/v1/admin/links/" + regions.get(0) + "/" + regions.get(1) + "/" + action
                    + (action.equals("flap") ? "?times=" + times + "&periodMs=" + period.toMillis() : "");
        } else if (REGION_ACTIONS.contains(action) && regions.size() == 1) {
            path = "/v1/admin/regions/" + regions.get(0) + "/" + action;
        } else {
            System.err.println("mesh chaos: use 'cut|heal|flap A B' or 'isolate|rejoin R' (got '" + action + "' with " + regions + ")");
            return MeshCli.CONFIG_ERROR;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(controlPlane.url + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10));
            String token = System.getenv("MESH_TOKEN");
            if (token != null && !token.isBlank()) {
                // A control plane with auth on wants an admin token: MESH_TOKEN=$(./mesh token --principal ops --role admin)
                request.header("Authorization", "Bearer " + token.strip());
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                System.err.println("mesh chaos: " + response.statusCode() + " " + response.body());
                return 1;
            }
            System.out.println(response.body());
            return 0;
        } catch (ConnectException e) {
            System.err.println("mesh chaos: no control plane at " + controlPlane.url + " (is `mesh up` running?)");
            return 1;
        }
    }
}
