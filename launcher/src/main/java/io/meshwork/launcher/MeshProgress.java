package io.meshwork.launcher;

import java.time.Duration;

/** Hears about each part of the embedded mesh as it comes up. */
@FunctionalInterface
public interface MeshProgress {

    /** Ignores progress. */
    MeshProgress SILENT = (part, detail, took) -> { };

    /**
     * @param part   e.g. {@code kafka us-east-1}
     * @param detail e.g. the address it listens on
     * @param took   how long it took to come up
     */
    void started(String part, String detail, Duration took);
}
