package io.meshwork.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh trace <eventId>}: the hops of a sampled event, in order, from the control plane. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Show where a sampled event went: every hop with broker, region, time and latency.",
                "Events are traced when their traceparent says sampled, when they carry the meshtrace",
                "(or meshtraceonly) CloudEvents extension, and at random at the edge's sample rate (1 %)."})
final class TraceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "EVENT_ID", description = "The CloudEvents id of the event.")
    String eventId;

    @Option(names = "--json", description = "Print the control plane's JSON answer as it is.")
    boolean json;

    @Mixin
    ControlPlaneOption controlPlane;

    @Override
    public Integer call() throws Exception {
        JsonNode trace;
        try {
            trace = controlPlane.client().get("/v1/traces/" + java.net.URLEncoder.encode(eventId,
                    java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        } catch (ControlPlaneClient.Failure failure) {
            System.err.println("mesh trace: " + failure.getMessage());
            return failure.exitCode;
        }
        if (json) {
            System.out.println(trace.toPrettyString());
            return 0;
        }
        System.out.print(render(trace));
        return 0;
    }

    static String render(JsonNode trace) {
        StringBuilder out = new StringBuilder();
        JsonNode hops = trace.path("hops");
        out.append(String.format("event %s on %s: %d hops%s%n", trace.path("eventId").asText(), trace.path("topic").asText(),
                hops.size(), trace.path("traceOnly").asBoolean() ? " (trace-only dry run: delivered to nobody)" : ""));
        out.append(String.format("%-3s %-9s %-15s %-28s %-24s %8s %8s  %s%n", "#", "KIND", "REGION", "BROKER", "TIME", "+MS",
                "HOP MS", "PATH"));
        for (JsonNode hop : hops) {
            String from = hop.path("fromRegion").isNull() || hop.path("fromRegion").isMissingNode() ? ""
                    : " (from " + hop.path("fromRegion").asText() + ")";
            out.append(String.format("%-3d %-9s %-15s %-28s %-24s %8d %8d  %s%s%n", hop.path("hop").asInt(), hop.path("kind").asText(),
                    hop.path("region").asText(), hop.path("broker").asText(), hop.path("time").asText(),
                    hop.path("sincePublishMs").asLong(), hop.path("latencyMs").asLong(),
                    String.join(" > ", iterable(hop.path("routingPath"))), from));
        }
        return out.toString();
    }

    private static Iterable<String> iterable(JsonNode array) {
        java.util.List<String> values = new java.util.ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
