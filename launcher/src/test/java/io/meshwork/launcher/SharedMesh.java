package io.meshwork.launcher;

import static org.awaitility.Awaitility.await;

import io.meshwork.topology.TopologyLoader;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded mesh (the embedded topology, ephemeral ports) for every test class of a test run
 * that registers this extension, instead of one per class: starting and stopping a three-region
 * mesh takes some 20 s, which many classes paid only to publish and subscribe on it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SharedMesh SHARED = new SharedMesh();
 * ... SHARED.mesh().region("us-east-1") ...
 * }</pre>
 *
 * Only for classes that leave the mesh as they found it: unique topics and client ids, links
 * healed after a cut, no router or edge stopped. Each class gets the mesh once every router sees
 * all its links up, so a class that healed a cut just before does not hand the next one a mesh
 * still reconnecting.
 *
 * <p>A shared mesh left running beside a class that starts meshes of its own doubles the load of
 * the 2-core machine, and its drills then see heartbeats late and links taken as down. So the
 * classes that use it run last ({@link SharedMeshLast}), and a class that does not use it closes
 * it before it starts ({@link Release}, registered for every class); the mesh also closes when
 * the whole run ends (JUnit's root store).
 */
public final class SharedMesh implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedMesh.class);
    private static final Duration LINKS_UP = Duration.ofSeconds(60);

    private EmbeddedMesh mesh;

    @Override
    public void beforeAll(ExtensionContext context) {
        mesh = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, key -> Running.start(), Running.class).mesh();
        for (String region : mesh.topology().regionNames()) {
            for (String neighbour : mesh.topology().neighbours(region)) {
                await(region + "'s link to " + neighbour + " to be up").atMost(LINKS_UP).pollInterval(Duration.ofMillis(100))
                        .until(() -> mesh.router(region).linkUp(neighbour));
            }
        }
    }

    /** The shared mesh; set before the class's own {@code @BeforeAll} methods run. */
    public EmbeddedMesh mesh() {
        if (mesh == null) {
            throw new IllegalStateException("SharedMesh must be registered with @RegisterExtension on a static field");
        }
        return mesh;
    }

    /** Whether {@code testClass} uses the shared mesh (a static field of this type). */
    static boolean isUsedBy(Class<?> testClass) {
        return java.util.Arrays.stream(testClass.getDeclaredFields()).anyMatch(field -> field.getType() == SharedMesh.class
                && java.lang.reflect.Modifier.isStatic(field.getModifiers()));
    }

    /**
     * Registered for every class ({@code META-INF/services}, auto-detection on): closes a running
     * shared mesh before a class that does not use it starts.
     */
    public static final class Release implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            if (context.getTestClass().map(SharedMesh::isUsedBy).orElse(true)) {
                return;
            }
            Running running = context.getRoot().getStore(NAMESPACE).remove(Running.class, Running.class);
            if (running != null) {
                running.close();
            }
        }
    }

    /** Runs the classes that use the shared mesh after every other class, each group by name. */
    public static final class SharedMeshLast implements org.junit.jupiter.api.ClassOrderer {
        @Override
        public void orderClasses(org.junit.jupiter.api.ClassOrdererContext context) {
            context.getClassDescriptors().sort(java.util.Comparator
                    .comparing((org.junit.jupiter.api.ClassDescriptor d) -> isUsedBy(d.getTestClass()))
                    .thenComparing(d -> d.getTestClass().getName()));
        }
    }

    /** The store's value: closed by JUnit at the end of the run, as an {@link AutoCloseable}. */
    private record Running(EmbeddedMesh mesh) implements AutoCloseable {

        static Running start() {
            try {
                return new Running(EmbeddedMesh.start(TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE),
                        EmbeddedMesh.Ports.EPHEMERAL, MeshProgress.SILENT));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the shared embedded mesh", e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the shared embedded mesh did not start: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            mesh.close();
        }
    }
}
