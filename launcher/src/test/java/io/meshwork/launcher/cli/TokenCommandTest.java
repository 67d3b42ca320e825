package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.auth.MeshPrincipal;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.core.auth.TokenVerifier;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {

    @TempDir
    Path keys;

    @Test
    void printsOneTokenTheEdgesKeysVerifyWithItsGrants() throws Exception {
        CliRun run = CliRun.mesh("token", "--keys", keys.toString(), "--principal", "alice", "--publish", "orders/#",
                "--subscribe", "orders/eu/#", "--subscribe", "prices/+", "--ttl", "PT15M");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).hasSize(1);
        assertThat(Files.exists(keys.resolve(SigningKeys.JWKS_FILE))).isTrue();

        MeshPrincipal alice = new TokenVerifier(SigningKeys.loadOrCreate(keys).authSettings("edge.auth")).verify(run.out().strip());
        assertThat(alice.name()).isEqualTo("alice");
        assertThat(alice.mayPublish(TopicName.of("orders/1"))).isTrue();
        assertThat(alice.maySubscribe(TopicPattern.parse("prices/eu"))).isTrue();
        assertThat(alice.maySubscribe(TopicPattern.parse("orders/#"))).isFalse();
        assertThat(alice.expiresAt()).isBetween(Instant.now().plus(Duration.ofMinutes(14)), Instant.now().plus(Duration.ofMinutes(16)));
    }

    @Test
    void aBadFilterOrTtlIsRefusedWithNothingOnStdout() {
        CliRun badFilter = CliRun.mesh("token", "--keys", keys.toString(), "--principal", "alice", "--publish", "a/#/b");
        assertThat(badFilter.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(badFilter.out()).isEmpty();
        assertThat(badFilter.err()).contains("a/#/b");
        CliRun badTtl = CliRun.mesh("token", "--keys", keys.toString(), "--principal", "alice", "--ttl", "-PT1H");
        assertThat(badTtl.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(badTtl.out()).isEmpty();
    }
}
