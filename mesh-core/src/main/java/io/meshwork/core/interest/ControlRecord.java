package io.meshwork.core.interest;

/**
 * One record of the mesh's control protocol on {@code mesh.routes}: a {@link RouteAdvert}, a
 * {@link RouteAck}, a {@link LinkState} or a {@link RouterBeat}. {@link ControlCodec} maps them to and from the wire.
 *
 * <p>Every kind follows the same rule: under one {@link #key()}, only its {@link #issuer()}
 * issues records, and the one with the higher {@link #seq()} supersedes the others. That is what
 * lets routers flood every kind the same way and lets compaction keep exactly the newest.
 */
public sealed interface ControlRecord permits RouteAdvert, RouteAck, LinkState, RouterBeat {

    /** Compaction key on {@code mesh.routes}: one live record per key. */
    String key();

    /** The region that issued the record. */
    String issuer();

    /** The issuer's sequence number for this key; higher wins. */
    long seq();

    /** Whether this record replaces {@code known}, the record held so far under the same key ({@code null} for none). */
    default boolean supersedes(ControlRecord known) {
        return known == null || seq() > known.seq();
    }
}
