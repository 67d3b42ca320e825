package io.meshwork.controlplane.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.interest.EdgeLease;
import io.meshwork.core.interest.InterestKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterestTableTest {

    private static final long NOW = 1_000_000;
    private static final byte[] HELD = "us-east-1".getBytes(StandardCharsets.UTF_8);

    private final InterestTable table = new InterestTable();

    private void lease(String edge, long expiresAt) {
        table.apply(InterestKey.lease(edge).encode(), new EdgeLease("us-east-1", expiresAt).encode());
    }

    private void hold(String edge, String pattern, String selector) {
        table.apply(InterestKey.subscription(edge, pattern, selector).encode(), HELD);
    }

    @Test
    void entriesOfOnePatternAndSelectorAreCountedPerHolder() {
        lease("edge-a", NOW + 10_000);
        lease("rule-1", NOW + 10_000);
        hold("edge-a", "orders/#", "");
        hold("rule-1", "orders/#", "");
        hold("edge-a", "orders/#", "amountCents > 10");

        List<Map<String, Object>> rows = table.view(NOW);

        assertThat(rows).extracting(row -> row.get("selector")).containsExactly("", "amountCents > 10");
        assertThat(rows.get(0)).containsEntry("pattern", "orders/#").containsEntry("holderCount", 2)
                .containsEntry("holders", List.of("edge-a", "rule-1"));
        assertThat(rows.get(1)).containsEntry("holderCount", 1);
    }

    @Test
    void tombstonedEntriesAndEntriesOfExpiredOrMissingLeasesAreNotShown() {
        lease("edge-live", NOW + 10_000);
        lease("edge-dead", NOW - 1);
        hold("edge-live", "kept", "");
        hold("edge-live", "withdrawn", "");
        table.apply(InterestKey.subscription("edge-live", "withdrawn", "").encode(), null);
        hold("edge-dead", "expired", "");
        hold("edge-unleased", "never-leased", "");

        assertThat(table.view(NOW)).extracting(row -> row.get("pattern")).containsExactly("kept");
    }

    @Test
    void unreadableKeysAndLeasesAreSkipped() {
        table.apply("not-an-interest-key", HELD);
        table.apply(InterestKey.lease("edge-x").encode(), "garbage".getBytes(StandardCharsets.UTF_8));
        hold("edge-x", "t", "");

        assertThat(table.view(NOW)).isEmpty();
    }
}
