package io.meshwork.launcher.drills;

import io.meshwork.edge.StreamClient;
import io.meshwork.embedded.TempDirs;
import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.MeshProgress;
import io.meshwork.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The embedded three-region mesh a drill class runs against (ephemeral ports), started once for
 * the class and stopped after it, with the router state directories and logs its drills leave
 * behind, deleted once the mesh is down.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DrillMesh drills = new DrillMesh();
 * }</pre>
 */
final class DrillMesh implements BeforeAllCallback, AfterAllCallback {

    private final List<Path> leftovers = new CopyOnWriteArrayList<>();
    private EmbeddedMesh mesh;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        mesh = EmbeddedMesh.start(TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE), EmbeddedMesh.Ports.EPHEMERAL,
                MeshProgress.SILENT);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (mesh != null) {
            mesh.close();
        }
        for (Path leftover : leftovers) {
            TempDirs.deleteRecursively(leftover);
        }
    }

    /** The running mesh. */
    EmbeddedMesh mesh() {
        return mesh;
    }

    /** A new state directory for a router, deleted once the mesh is down. */
    Path stateDir() throws Exception {
        Path dir = Files.createTempDirectory("meshwork-drill-router-");
        leftovers.add(dir);
        return dir;
    }

    /** A router of {@code region} run as its own JVM on {@code stateDir}, as an operator runs one; returns once it is ready. */
    Process routerProcess(String region, Path stateDir) throws Exception {
        return RouterProcess.start(region, mesh.region(region).bootstrapServers(), stateDir, leftovers);
    }

    /** A WebSocket subscriber in {@code region} to {@code prefix/#} everywhere in the mesh. */
    StreamClient subscriber(String region, String prefix) throws Exception {
        StreamClient client = StreamClient.connect(mesh.region(region).streamUrl());
        client.subscribeMeshWide(prefix + "/#");
        return client;
    }

    /** A topic prefix of its own for one drill: {@code <kind>-<name>-<8 random hex>}. */
    static String unique(String kind, String name) {
        return kind + "-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
