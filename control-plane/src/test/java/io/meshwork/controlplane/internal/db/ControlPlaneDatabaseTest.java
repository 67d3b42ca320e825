package io.meshwork.controlplane.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.controlplane.DatabaseSettings;
import io.meshwork.controlplane.TestDatabases;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class ControlPlaneDatabaseTest {

    @Test
    void migratesAnEmptyDatabaseAndLeavesAMigratedOneAsItIs() {
        DatabaseSettings settings = TestDatabases.fresh();
        try (ControlPlaneDatabase database = ControlPlaneDatabase.open(settings)) {
            List<String> tables = database.dsl().fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                    .getValues(0, String.class);
            assertThat(tables).contains("broker_nodes", "event_routing_rules", "message_trace_logs", "acl_entries", "flyway_schema_history");
            assertThat(database.migrate().migrationsExecuted).isZero();
        }
        // A second start on the same database (a control plane restart) applies nothing and keeps working.
        try (ControlPlaneDatabase again = ControlPlaneDatabase.open(settings)) {
            assertThat(again.migrate().migrationsExecuted).isZero();
            // V1 (the seed's tables) and V2 (ACL entries), each applied once.
            assertThat(again.dsl().fetchValue("SELECT count(*) FROM flyway_schema_history WHERE success", Long.class)).isEqualTo(2L);
        }
    }

    @Test
    void traceLogsArePartitionedByMonthWithTheComingMonthsCreatedAhead() {
        try (ControlPlaneDatabase database = ControlPlaneDatabase.open(TestDatabases.fresh())) {
            List<String> partitions = database.dsl().fetch("""
                    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'message_trace_logs'::regclass ORDER BY c.relname""").getValues(0, String.class);
            YearMonth now = YearMonth.now(ZoneOffset.UTC);
            for (int ahead = 0; ahead <= ControlPlaneDatabase.PARTITION_MONTHS_AHEAD; ahead++) {
                YearMonth month = now.plusMonths(ahead);
                assertThat(partitions).contains(String.format("message_trace_logs_y%04dm%02d", month.getYear(), month.getMonthValue()));
            }
            assertThat(partitions).contains("message_trace_logs_default");
            assertThat(database.ensurePartitions()).as("already there").isZero();
            assertThat(database.dsl().fetchValue(DSL.field("ensure_trace_partitions(now(), 6)", Integer.class)))
                    .as("three more months").isEqualTo(3);
        }
    }

    @Test
    void rejectsAnythingButAPostgresJdbcUrlNamingTheSetting() {
        assertThatThrownBy(() -> DatabaseSettings.external("jdbc:mysql://db/mesh", "mesh", "x"))
                .hasMessageContaining("control-plane.database.url: invalid value 'jdbc:mysql://db/mesh'");
        assertThatThrownBy(() -> DatabaseSettings.external("jdbc:postgresql://db/mesh", " ", "x"))
                .hasMessageContaining("control-plane.database.user");
        assertThatThrownBy(() -> new DatabaseSettings(null, null, null, 0))
                .hasMessageContaining("control-plane.database.pool.size: invalid value '0'");
    }

    @Test
    void failsFastWhenTheDatabaseIsUnreachable() {
        DatabaseSettings nowhere = DatabaseSettings.external("jdbc:postgresql://127.0.0.1:1/mesh?connectTimeout=2", "mesh", "x");
        assertThatThrownBy(() -> ControlPlaneDatabase.open(nowhere))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/mesh");
    }
}
