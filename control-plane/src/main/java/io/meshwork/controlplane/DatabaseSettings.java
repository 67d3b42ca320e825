package io.meshwork.controlplane;

import io.meshwork.core.config.InvalidSettingException;

/**
 * Where the control plane keeps its tables.
 *
 * @param jdbcUrl  a PostgreSQL JDBC URL ({@code jdbc:postgresql://host:5432/mesh}), or {@code null}
 *                 for an embedded PostgreSQL started (and thrown away) with the control plane
 * @param user     database user (ignored for the embedded database)
 * @param password database password (ignored for the embedded database)
 * @param poolSize HikariCP pool size
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, int poolSize) {

    /** Default pool size: the control plane's writers and API need few connections. */
    public static final int DEFAULT_POOL_SIZE = 4;

    public DatabaseSettings {
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw InvalidSettingException.invalid(ControlPlaneKeys.DATABASE_URL, jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***"),
                    "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), or unset for the embedded database");
        }
        if (jdbcUrl != null && (user == null || user.isBlank())) {
            throw new InvalidSettingException(ControlPlaneKeys.DATABASE_USER,
                    "missing required value: must be set when " + ControlPlaneKeys.DATABASE_URL + " is");
        }
        if (poolSize < 1 || poolSize > 100) {
            throw InvalidSettingException.invalid(ControlPlaneKeys.DATABASE_POOL_SIZE, poolSize, "must be within 1..100");
        }
    }

    /** An embedded PostgreSQL (the default, and the embedded mesh's). */
    public static DatabaseSettings embedded() {
        return new DatabaseSettings(null, null, null, DEFAULT_POOL_SIZE);
    }

    /** An existing PostgreSQL at {@code jdbcUrl}. */
    public static DatabaseSettings external(String jdbcUrl, String user, String password) {
        return new DatabaseSettings(jdbcUrl, user, password, DEFAULT_POOL_SIZE);
    }

    public boolean isEmbedded() {
        return jdbcUrl == null;
    }

    @Override
    public String toString() {
        // Never print a password that came inside the URL.
        return isEmbedded() ? "embedded PostgreSQL" : jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***") + " as " + user;
    }
}
