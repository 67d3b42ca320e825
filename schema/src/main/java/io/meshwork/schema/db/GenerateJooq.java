package io.meshwork.schema.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Target;

/**
 * Build-time jOOQ code generation from the migrations: starts an embedded PostgreSQL, applies
 * {@code db/migration} with Flyway, and generates the classes against it. jOOQ's DDLDatabase
 * would need no database, but it cannot parse {@code PARTITION BY RANGE} (DESIGN.md 3.1); a real
 * PostgreSQL also keeps the exact types and defaults.
 *
 * <p>Run by the control plane's build at {@code generate-sources}:
 * {@code GenerateJooq <target directory> <package>}.
 */
public final class GenerateJooq {

    /** Tables that are not part of the model: Flyway's bookkeeping and the trace partitions. */
    static final String EXCLUDES = "flyway_schema_history|message_trace_logs_.*|ensure_trace_partitions";

    private GenerateJooq() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: GenerateJooq <target directory> <package>");
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
            GenerationTool.generate(new Configuration()
                    .withJdbc(new Jdbc().withDriver("org.postgresql.Driver")
                            .withUrl(postgres.getJdbcUrl("postgres", "postgres")).withUser("postgres"))
                    .withGenerator(new Generator()
                            .withDatabase(new Database()
                                    .withName("org.jooq.meta.postgres.PostgresDatabase")
                                    .withInputSchema("public")
                                    .withIncludes(".*")
                                    .withExcludes(EXCLUDES))
                            .withGenerate(new Generate().withJavaTimeTypes(true).withRecords(true).withRoutines(false)
                                    .withGeneratedAnnotation(false))
                            .withTarget(new Target().withPackageName(args[1]).withDirectory(Path.of(args[0]).toString()))));
        }
    }
}
