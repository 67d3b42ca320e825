package io.meshwork.edge.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.auth.AclEntry;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A granted subscription is cut when its principal's ACL entries change so that SUBSCRIBE would now refuse it. */
class SubscriptionGrantsTest {

    private static final String REGION = "grants-test";

    @TempDir
    static Path dir;

    private static SigningKeys keys;

    @BeforeAll
    static void setUp() throws Exception {
        keys = SigningKeys.loadOrCreate(dir);
    }

    private static EdgeAuth auth() {
        return EdgeAuth.of(keys.authSettings("edge.auth"), REGION);
    }

    private static Access tokenAccess(EdgeAuth auth, String principal, String... subscribe) {
        String token = keys.mint(new SigningKeys.Grant(principal, List.of(), List.of(subscribe), List.of()), Duration.ofMinutes(5));
        return auth.authenticate(IngressProtocol.WEBSOCKET, token, "test");
    }

    private static AclEntry entry(String principal, AclEntry.Effect effect, String filter) {
        return new AclEntry(UUID.randomUUID(), principal, AclEntry.Action.SUBSCRIBE, effect, TopicPattern.parse(filter), Instant.now());
    }

    @Test
    void aDenyEntryCutsTheTokenPrincipalsSubscriptionItCoversAndNoOther() {
        EdgeAuth auth = auth();
        Access alice = tokenAccess(auth, "alice", "orders/#", "invoices/#");
        List<Refusal> ordersCut = new CopyOnWriteArrayList<>();
        List<Refusal> invoicesCut = new CopyOnWriteArrayList<>();
        double before = revoked();
        alice.whileAllowed(TopicPattern.parse("orders/#"), "ws 1", ordersCut::add);
        alice.whileAllowed(TopicPattern.parse("invoices/#"), "ws 1", invoicesCut::add);

        auth.acls().put(entry("alice", AclEntry.Effect.DENY, "orders/eu/#"));
        auth.acls().put(entry("bob", AclEntry.Effect.DENY, "invoices/#")); // another principal's entry

        assertThat(ordersCut).singleElement().satisfies(refusal -> {
            assertThat(refusal.error()).isEqualTo(ClientError.NOT_AUTHORIZED);
            assertThat(refusal.field()).isEqualTo("topic_pattern");
            assertThat(refusal.getMessage()).contains("alice", "'orders/#'");
        });
        assertThat(invoicesCut).isEmpty();
        assertThat(revoked() - before).isEqualTo(1);
        assertThat(auth.grants().size()).isEqualTo(1);
        assertThat(alice.mayReceive(TopicName.of("orders/us/1"))).isTrue();
        assertThat(alice.mayReceive(TopicName.of("orders/eu/1"))).isFalse();

        auth.acls().put(entry("alice", AclEntry.Effect.DENY, "orders/us/#"));
        assertThat(ordersCut).as("cut once").hasSize(1);
    }

    @Test
    void aCertificatePrincipalLosesItsSubscriptionWhenItsAllowEntryIsDeleted() {
        EdgeAuth auth = auth();
        AclEntry allow = entry("billing-service", AclEntry.Effect.ALLOW, "billing/#");
        auth.acls().put(allow);
        Access billing = auth.certified(IngressProtocol.MQTT, "billing-service", Instant.now().plusSeconds(3600));
        billing.checkSubscribe(TopicPattern.parse("billing/#"));
        List<Refusal> cut = new CopyOnWriteArrayList<>();
        billing.whileAllowed(TopicPattern.parse("billing/#"), "client c1", cut::add);
        auth.acls().put(entry("billing-service", AclEntry.Effect.ALLOW, "audit/#"));
        assertThat(cut).as("another allow changes nothing").isEmpty();

        auth.acls().remove(allow.id());

        assertThat(cut).singleElement().satisfies(refusal -> assertThat(refusal.getMessage()).contains("'billing/#'"));
    }

    @Test
    void aSubscriptionEndedFirstIsNotCutAndOneGrantedAfterTheDenyIsCutAtOnce() {
        EdgeAuth auth = auth();
        Access carol = tokenAccess(auth, "carol", "jobs/#");
        List<Refusal> cut = new CopyOnWriteArrayList<>();
        carol.whileAllowed(TopicPattern.parse("jobs/#"), "grpc 1", cut::add).cancel();
        auth.acls().put(entry("carol", AclEntry.Effect.DENY, "jobs/#"));
        assertThat(cut).isEmpty();

        // Checked at SUBSCRIBE before the entry arrived, held after it: the hold checks again.
        carol.whileAllowed(TopicPattern.parse("jobs/#"), "grpc 2", cut::add);

        assertThat(cut).hasSize(1);
        assertThat(auth.grants().size()).isZero();
    }

    @Test
    void nothingIsHeldWithAuthOff() {
        assertThat(Access.open().whileAllowed(TopicPattern.parse("a/#"), "x", refusal -> { })).isSameAs(TokenExpiry.NONE);
        assertThat(Access.open().mayReceive(TopicName.of("a/b"))).isTrue();
    }

    private static double revoked() {
        return MeshMetrics.registry().find("mesh.edge.auth.refused").tags("region", REGION, "reason", EdgeAuth.REVOKED_SUBSCRIPTION)
                .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }
}
