package io.meshwork.launcher.drills;

import io.meshwork.launcher.EmbeddedMesh;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches, every 100 ms, whether each neighbour of a region still hears it, as the neighbour's
 * own link state (applied by its router) says, and records every moment one did not.
 */
final class NeighbourView implements AutoCloseable {

    private final EmbeddedMesh mesh;
    private final String region;
    private final List<String> neighbours;
    private final List<String> silences = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final long started = System.nanoTime();

    private NeighbourView(EmbeddedMesh mesh, String region, List<String> neighbours) {
        this.mesh = mesh;
        this.region = region;
        this.neighbours = List.copyOf(neighbours);
    }

    static NeighbourView watch(EmbeddedMesh mesh, String region, List<String> neighbours) {
        NeighbourView view = new NeighbourView(mesh, region, neighbours);
        view.timer.scheduleAtFixedRate(view::look, 0, 100, TimeUnit.MILLISECONDS);
        return view;
    }

    private void look() {
        for (String neighbour : neighbours) {
            boolean hears = mesh.router(neighbour).linkStateOf(neighbour).map(state -> state.hears(region)).orElse(true);
            if (!hears) {
                silences.add(neighbour + " took its link to " + region + " as down at +"
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
            }
        }
    }

    /** Every moment a neighbour did not hear the region, so far. */
    List<String> silences() {
        return List.copyOf(silences);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
