package io.meshwork.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh ops topics|latency|hops|origins}: the ops queries over sampled traces. */
@Command(name = "ops", mixinStandardHelpOptions = true,
        description = {"Ops queries over the sampled traces of a time window (default: the last hour):",
                "  mesh ops topics    busiest topics across regions (events, regions reached)",
                "  mesh ops latency   p50/p99 latency of each link",
                "  mesh ops hops      how many brokers events entered (distribution)",
                "  mesh ops origins   events per origin region"})
final class OpsCommand implements Callable<Integer> {

    private static final Map<String, String[]> QUERIES = Map.of(
            "topics", new String[] {"/v1/ops/busiest-topics", "topics"},
            "latency", new String[] {"/v1/ops/link-latency", "links"},
            "hops", new String[] {"/v1/ops/hop-counts", "hopCounts"},
            "origins", new String[] {"/v1/ops/origins", "origins"});

    @Parameters(index = "0", paramLabel = "QUERY", description = "topics, latency, hops or origins")
    String query;

    @Option(names = "--window", defaultValue = "PT1H", description = "How far back from now (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--json", description = "Print the control plane's JSON answer as it is.")
    boolean json;

    @Mixin
    ControlPlaneOption controlPlane;

    @Override
    public Integer call() throws Exception {
        String[] target = QUERIES.get(query);
        if (target == null) {
            System.err.println("mesh ops: unknown query '" + query + "'; use topics, latency, hops or origins");
            return MeshCli.CONFIG_ERROR;
        }
        JsonNode answer;
        try {
            answer = controlPlane.client().get(target[0] + "?window=" + window);
        } catch (ControlPlaneClient.Failure failure) {
            System.err.println("mesh ops: " + failure.getMessage());
            return failure.exitCode;
        }
        System.out.print(json ? answer.toPrettyString() + System.lineSeparator() : table(answer, target[1]));
        return 0;
    }

    static String table(JsonNode answer, String rowsField) {
        JsonNode rows = answer.path(rowsField);
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s .. %s%n", answer.path("from").asText(), answer.path("to").asText()));
        if (rows.isEmpty()) {
            return out.append("(no traced events in this window)").append(System.lineSeparator()).toString();
        }
        List<String> columns = new ArrayList<>();
        rows.get(0).fieldNames().forEachRemaining(columns::add);
        for (String column : columns) {
            out.append(String.format("%-22s", column));
        }
        out.append(System.lineSeparator());
        for (JsonNode row : rows) {
            for (Iterator<String> it = columns.iterator(); it.hasNext();) {
                JsonNode value = row.path(it.next());
                out.append(String.format("%-22s", value.isNumber() && value.isFloatingPointNumber()
                        ? String.format("%.1f", value.asDouble()) : value.asText()));
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
