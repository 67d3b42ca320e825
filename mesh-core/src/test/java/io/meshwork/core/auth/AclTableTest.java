package io.meshwork.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.auth.AclEntry.Action;
import io.meshwork.core.auth.AclEntry.Effect;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AclTableTest {

    private static final Instant LATER = Instant.now().plusSeconds(3600);

    private static AclEntry entry(String principal, Action action, Effect effect, String filter) {
        return new AclEntry(UUID.randomUUID(), principal, action, effect, TopicPattern.parse(filter), Instant.now());
    }

    private static MeshPrincipal claims(String name, List<String> publish, List<String> subscribe) {
        return new MeshPrincipal(name, Set.of(), new Permissions(publish.stream().map(TopicPattern::parse).toList(), List.of(),
                subscribe.stream().map(TopicPattern::parse).toList(), List.of()), LATER);
    }

    @Test
    void aPrincipalWithoutClaimsGetsWhatItsAllowEntriesGrant() {
        AclTable table = new AclTable();
        MeshPrincipal alice = claims("alice", List.of(), List.of());
        assertThat(table.effective(alice).mayPublish(TopicName.of("orders/1"))).isFalse();

        table.put(entry("alice", Action.PUBLISH, Effect.ALLOW, "orders/#"));
        table.put(entry("alice", Action.SUBSCRIBE, Effect.ALLOW, "orders/eu/#"));

        assertThat(table.effective(alice).mayPublish(TopicName.of("orders/1"))).isTrue();
        assertThat(table.effective(alice).maySubscribe(TopicPattern.parse("orders/eu/+"))).isTrue();
        assertThat(table.effective(alice).maySubscribe(TopicPattern.parse("orders/#"))).as("wider than the entry").isFalse();
        assertThat(table.effective(claims("bob", List.of(), List.of())).mayPublish(TopicName.of("orders/1")))
                .as("entries are per principal").isFalse();
    }

    @Test
    void claimsAndEntriesAddUp() {
        AclTable table = new AclTable();
        table.put(entry("alice", Action.PUBLISH, Effect.ALLOW, "prices/#"));
        Permissions effective = table.effective(claims("alice", List.of("orders/#"), List.of()));

        assertThat(effective.mayPublish(TopicName.of("orders/1"))).as("from the claims").isTrue();
        assertThat(effective.mayPublish(TopicName.of("prices/1"))).as("from the entry").isTrue();
        assertThat(effective.mayPublish(TopicName.of("stock/1"))).isFalse();
    }

    @Test
    void aDenyEntryWinsOverAClaimAllowAndADeletedOneNoLonger() {
        AclTable table = new AclTable();
        MeshPrincipal alice = claims("alice", List.of("orders/#"), List.of("orders/#"));
        AclEntry denyPublish = entry("alice", Action.PUBLISH, Effect.DENY, "orders/secret/#");
        AclEntry denySubscribe = entry("alice", Action.SUBSCRIBE, Effect.DENY, "orders/secret/#");
        table.put(denyPublish);
        table.put(denySubscribe);

        assertThat(table.effective(alice).mayPublish(TopicName.of("orders/secret/1"))).isFalse();
        assertThat(table.effective(alice).mayPublish(TopicName.of("orders/eu/1"))).isTrue();
        assertThat(table.effective(alice).maySubscribe(TopicPattern.parse("orders/#"))).as("reaches the denied tree").isFalse();
        assertThat(table.effective(alice).maySubscribe(TopicPattern.parse("orders/eu/#"))).isTrue();

        table.remove(denyPublish.id());
        table.remove(denySubscribe.id());
        assertThat(table.effective(alice).mayPublish(TopicName.of("orders/secret/1"))).isTrue();
        assertThat(table.effective(alice).maySubscribe(TopicPattern.parse("orders/#"))).isTrue();
        assertThat(table.size()).isZero();
    }

    @Test
    void aClaimDenyWinsOverAnAllowEntry() {
        AclTable table = new AclTable();
        table.put(entry("alice", Action.PUBLISH, Effect.ALLOW, "#"));
        MeshPrincipal alice = new MeshPrincipal("alice", Set.of(), new Permissions(List.of(), List.of(TopicPattern.parse("admin/#")),
                List.of(), List.of()), LATER);

        assertThat(table.effective(alice).mayPublish(TopicName.of("admin/x"))).isFalse();
        assertThat(table.effective(alice).mayPublish(TopicName.of("orders/x"))).isTrue();
    }

    @Test
    void anEntryMovedToAnotherPrincipalLeavesTheFirst() {
        AclTable table = new AclTable();
        AclEntry entry = entry("alice", Action.PUBLISH, Effect.ALLOW, "orders/#");
        table.put(entry);
        table.put(new AclEntry(entry.id(), "bob", entry.action(), entry.effect(), entry.filter(), entry.createdAt()));

        assertThat(table.permissions("alice")).isEqualTo(Permissions.NONE);
        assertThat(table.permissions("bob").mayPublish(TopicName.of("orders/1"))).isTrue();
    }

    @Test
    void recordsRoundTripAndMisshapenOnesNameTheField() {
        AclEntry entry = entry("billing-service", Action.SUBSCRIBE, Effect.DENY, "orders/+/secret");
        assertThat(AclRecords.decode(AclRecords.encode(entry))).isEqualTo(entry);

        assertThatThrownBy(() -> AclRecords.decode("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        String badAction = new String(AclRecords.encode(entry), StandardCharsets.UTF_8).replace("\"subscribe\"", "\"read\"");
        assertThatThrownBy(() -> AclRecords.decode(badAction.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("publish or subscribe");
    }
}
