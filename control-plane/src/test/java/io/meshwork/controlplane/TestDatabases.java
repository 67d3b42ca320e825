package io.meshwork.controlplane;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real embedded PostgreSQL per test JVM, and a fresh empty database in it per caller, so
 * test classes never see each other's rows. The control plane reaches it by JDBC URL, as it
 * would any production PostgreSQL.
 */
public final class TestDatabases {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    /** Measured start time of the embedded PostgreSQL, initdb included. */
    public static volatile long startMillis;

    private TestDatabases() {
    }

    private static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            long started = System.nanoTime();
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            startMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("embedded PostgreSQL started in " + startMillis + " ms");
            EmbeddedPostgres running = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    running.close();
                } catch (IOException e) {
                    // the JVM is going away
                }
            }));
        }
        return postgres;
    }

    /** Settings for a new, empty database. */
    public static DatabaseSettings fresh() {
        String name = "mesh_test_" + NEXT.incrementAndGet();
        EmbeddedPostgres pg = postgres();
        try (Connection connection = pg.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return DatabaseSettings.external(pg.getJdbcUrl("postgres", name), "postgres", "");
    }
}
