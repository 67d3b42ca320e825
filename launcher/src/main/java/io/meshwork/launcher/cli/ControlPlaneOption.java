package io.meshwork.launcher.cli;

import picocli.CommandLine.Option;

/** {@code --control-plane URL}: for the commands that talk to a running control plane. */
final class ControlPlaneOption {

    @Option(names = "--control-plane", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "Control plane base URL (default: ${DEFAULT-VALUE}).")
    String url;

    ControlPlaneClient client() {
        return new ControlPlaneClient(url);
    }
}
