package io.meshwork.connectors.links;

import java.util.OptionalLong;

/**
 * The running links of one region: its control channels (one from each neighbour) and the data
 * links of its {@link LinkMode}. Closing stops all of them.
 */
public interface RegionLinks extends AutoCloseable {

    /** The round-trip time of the link from {@code neighbour} as last measured, if known. */
    OptionalLong rttMs(String neighbour);

    @Override
    void close();
}
