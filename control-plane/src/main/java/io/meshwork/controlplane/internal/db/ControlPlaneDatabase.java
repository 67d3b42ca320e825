package io.meshwork.controlplane.internal.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.meshwork.controlplane.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's PostgreSQL: an embedded one by default, any other by JDBC URL. Opened
 * with a HikariCP pool; the migrations ({@code db/migration} of the schema module) are applied
 * and the trace partitions of the coming months created before anything else uses it.
 */
public final class ControlPlaneDatabase implements AutoCloseable {

    /** Months of trace partitions kept ready ahead of the current one. */
    public static final int PARTITION_MONTHS_AHEAD = 3;

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneDatabase.class);

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    private final DSLContext dsl;

    private ControlPlaneDatabase(EmbeddedPostgres embedded, HikariDataSource pool) {
        this.embedded = embedded;
        this.pool = pool;
        this.dsl = DSL.using(pool, SQLDialect.POSTGRES);
    }

    /** Opens (and for the embedded database, starts) the database and migrates it. */
    public static ControlPlaneDatabase open(DatabaseSettings settings) {
        long started = System.nanoTime();
        EmbeddedPostgres embedded = null;
        HikariConfig hikari = new HikariConfig();
        try {
            if (settings.isEmbedded()) {
                // No shutdown hook of its own: on Ctrl-C it would stop the database while the control
                // plane still writes; close() (called from the CLI's and the mesh's hooks) stops it last.
                embedded = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(30)).setRegisterShutdownHook(false)
                        .setPgBinaryResolver(ControlPlaneDatabase::firstBinaryOnClasspath).start();
                hikari.setJdbcUrl(embedded.getJdbcUrl("postgres", "postgres"));
                hikari.setUsername("postgres");
            } else {
                hikari.setJdbcUrl(settings.jdbcUrl());
                hikari.setUsername(settings.user());
                hikari.setPassword(settings.password());
            }
            hikari.setMaximumPoolSize(settings.poolSize());
            hikari.setPoolName("control-plane-db");
            hikari.setConnectionTimeout(5_000);
            HikariDataSource pool = new HikariDataSource(hikari);
            ControlPlaneDatabase database = new ControlPlaneDatabase(embedded, pool);
            MigrateResult result = database.migrate();
            int created = database.ensurePartitions();
            LOG.info("control plane database ({}) ready in {} ms: {} migrations applied, schema version {}, {} trace partitions created",
                    settings, Duration.ofNanos(System.nanoTime() - started).toMillis(), result.migrationsExecuted,
                    result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion, created);
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw new IllegalStateException("control plane database (" + settings + ") is not usable: " + e.getMessage(), e);
        }
    }

    /**
     * The PostgreSQL binaries bundle, the first one on the classpath. zonky's own resolver refuses
     * to choose when the bundle is there twice, which it is whenever a jar's manifest class path
     * names the same lib/ jars (the launcher's mesh.jar under failsafe).
     */
    private static java.io.InputStream firstBinaryOnClasspath(String system, String hardware) throws IOException {
        String arch = hardware.equals("amd64") ? "x86_64" : hardware;
        String name = "postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + arch + ".txz";
        java.io.InputStream binaries = ControlPlaneDatabase.class.getClassLoader().getResourceAsStream(name);
        if (binaries == null) {
            throw new IOException("no embedded PostgreSQL binaries " + name + " on the classpath (the control plane ships the "
                    + "linux-amd64 bundle only); give control.plane.database.url instead");
        }
        return binaries;
    }

    /** Applies the pending migrations; a database already at the latest version is left as it is. */
    public MigrateResult migrate() {
        return Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    }

    /** Creates the monthly trace partitions from this month to {@link #PARTITION_MONTHS_AHEAD} ahead; returns how many were new. */
    public int ensurePartitions() {
        Integer created = dsl.select(DSL.field("ensure_trace_partitions(now(), {0})", Integer.class, DSL.val(PARTITION_MONTHS_AHEAD)))
                .fetchOne(0, Integer.class);
        return created == null ? 0 : created;
    }

    /** Whether the database answers a trivial query. */
    public boolean isReachable() {
        try {
            dsl.selectOne().fetch();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public DSLContext dsl() {
        return dsl;
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
            }
        }
    }
}
