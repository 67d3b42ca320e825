package io.meshwork.launcher.cli;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh link cut|heal A B}: drives the WAN emulator of a running embedded mesh. */
@Command(name = "link", mixinStandardHelpOptions = true,
        description = "Cut or heal the link between two regions of a running embedded mesh (both directions).")
final class LinkCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ACTION", description = "cut or heal")
    String action;

    @Parameters(index = "1", paramLabel = "A", description = "one region, e.g. us-east-1")
    String a;

    @Parameters(index = "2", paramLabel = "B", description = "the other region, e.g. ap-southeast-1")
    String b;

    @Option(names = "--control-plane", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "Control plane base URL (default: ${DEFAULT-VALUE}).")
    String controlPlane;

    @Override
    public Integer call() throws Exception {
        if (!action.equals("cut") && !action.equals("heal")) {
            System.err.println("mesh link: unknown action '" + action + "'; use cut or heal");
            return MeshCli.CONFIG_ERROR;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create(controlPlane + "/v1/admin/links/" + a + "/" + b + "/" + action);
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                System.err.println("mesh link: " + response.statusCode() + " " + response.body());
                return 1;
            }
            System.out.println(response.body());
            return 0;
        } catch (ConnectException e) {
            System.err.println("mesh link: no control plane at " + controlPlane + " (is `mesh up` running?)");
            return 1;
        }
    }
}
