package io.meshwork.launcher.cli;

import io.meshwork.core.auth.SigningKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh token}: mints one JWT for the embedded mesh's edges and prints it, and nothing else,
 * on stdout. The signing keys live in {@code ~/.meshwork/secure} and are generated on first use,
 * with the public {@code jwks.json} the edges verify against ({@code edge.auth.jwks.file}).
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Print one signed JWT (ES256) for the embedded mesh: pass it as 'Authorization: Bearer <jwt>' (REST,",
                "WebSocket; or ?access_token= for browsers), gRPC 'authorization: Bearer <jwt>' metadata, or the MQTT password.",
                "Keys: ~/.meshwork/secure (generated on first use). Issuer " + SigningKeys.ISSUER + ", audience "
                        + SigningKeys.AUDIENCE + "."})
final class TokenCommand implements Callable<Integer> {

    private static final Duration MAX_TTL = Duration.ofDays(366);

    @Option(names = "--principal", required = true, paramLabel = "NAME", description = "Who the token is for (its sub claim).")
    String principal;

    @Option(names = "--publish", paramLabel = "FILTER",
            description = "Topic filter (MQTT syntax) the principal may publish to; repeat for more. None: no publishing.")
    List<String> publish = new ArrayList<>();

    @Option(names = "--subscribe", paramLabel = "FILTER",
            description = "Topic filter the principal may subscribe within (a pattern must lie wholly inside one); repeat for more.")
    List<String> subscribe = new ArrayList<>();

    @Option(names = "--role", paramLabel = "ROLE", description = "A role, e.g. admin (the control plane's admin API); repeat for more.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--ttl", defaultValue = "PT1H", paramLabel = "DURATION",
            description = "How long the token is valid, ISO-8601 (PT1H, PT15M, P1D). Default: ${DEFAULT-VALUE}.")
    Duration ttl;

    @Option(names = "--keys", paramLabel = "DIR", description = "Directory of the signing keys. Default: ~/.meshwork/secure.")
    Path keys;

    @Override
    public Integer call() {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            System.err.println("mesh token: --ttl must be positive and at most " + MAX_TTL + ", not " + ttl);
            return MeshCli.CONFIG_ERROR;
        }
        SigningKeys.Grant grant;
        try {
            grant = new SigningKeys.Grant(principal, publish, subscribe, roles);
        } catch (IllegalArgumentException e) {
            System.err.println("mesh token: " + e.getMessage());
            return MeshCli.CONFIG_ERROR;
        }
        SigningKeys signing = SigningKeys.loadOrCreate(keys == null ? SigningKeys.defaultDirectory() : keys);
        System.out.println(signing.mint(grant, ttl));
        return 0;
    }
}
