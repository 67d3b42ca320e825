package io.meshwork.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs on the control plane's ops API for the CLI; failures come back as messages, not stack traces. */
final class ControlPlaneClient {

    /** A failed request: what to print, and the exit code. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Failure(String message, int exitCode) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    ControlPlaneClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    JsonNode get(String path) throws Failure, InterruptedException {
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Failure("no control plane at " + baseUrl + " (is `mesh up` running?)", 1);
        } catch (IOException e) {
            throw new Failure("control plane at " + baseUrl + " did not answer: " + e.getMessage(), 1);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new Failure(response.statusCode() + " " + response.body(), 1);
        }
        if (response.statusCode() >= 300) {
            throw new Failure(body.path("message").asText(response.body()), response.statusCode() == 404 ? 3 : 1);
        }
        return body;
    }
}
