package io.meshwork.core.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a key or trust store file yields (a key manager, a trust manager), built again when the
 * file's modification time or size changes. Checked at the start of each handshake, so new
 * connections see a replaced file and open ones keep what they negotiated. A file that cannot be
 * read (half written, wrong password) keeps the previous value and is logged once per change.
 */
final class ReloadingStore<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingStore.class);

    private final Path file;
    private final String password;
    private final String key;
    private final Function<KeyStore, T> builder;
    private volatile Snapshot<T> current;

    private record Snapshot<T>(FileTime modified, long size, T value) {
    }

    ReloadingStore(Path file, String password, String key, Function<KeyStore, T> builder) {
        this.file = Objects.requireNonNull(file, "file");
        this.password = password;
        this.key = key;
        this.builder = builder;
        Stamp stamp = stamp();
        this.current = new Snapshot<>(stamp.modified, stamp.size, builder.apply(StoreFiles.load(file, password, key)));
    }

    /** The value for the file as it is now. */
    T current() {
        Snapshot<T> seen = current;
        Stamp stamp = stamp();
        if (stamp.modified.equals(seen.modified) && stamp.size == seen.size) {
            return seen.value;
        }
        synchronized (this) {
            if (current != seen) {
                return current.value;
            }
            try {
                current = new Snapshot<>(stamp.modified, stamp.size, builder.apply(StoreFiles.load(file, password, key)));
                LOG.info("{}: reloaded {} for new TLS connections", key, file);
            } catch (RuntimeException e) {
                // Keep serving with the old store; retried when the file changes again.
                current = new Snapshot<>(stamp.modified, stamp.size, seen.value);
                LOG.warn("{}: {} changed but cannot be used, keeping the previous one: {}", key, file, e.getMessage());
            }
            return current.value;
        }
    }

    /** The value as last loaded, without looking at the file. */
    T loaded() {
        return current.value;
    }

    private record Stamp(FileTime modified, long size) {
    }

    private Stamp stamp() {
        try {
            return new Stamp(Files.getLastModifiedTime(file), Files.size(file));
        } catch (IOException e) {
            // Gone for a moment while being replaced: keep what we have.
            Snapshot<T> seen = current;
            return seen == null ? new Stamp(FileTime.fromMillis(0), -1) : new Stamp(seen.modified, seen.size);
        }
    }
}
