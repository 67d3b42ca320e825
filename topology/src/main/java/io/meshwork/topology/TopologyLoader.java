package io.meshwork.topology;

import io.meshwork.topology.internal.TopologyReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads a {@link Topology} from YAML. Every problem, from an unreadable file to a port clash,
 * surfaces as a {@link TopologyException} naming the source and the offending key.
 *
 * <p>The format (see {@value #EMBEDDED_RESOURCE} for a complete example):
 * <pre>
 * mesh: meshwork-embedded
 * controlPlane: { port: 8080 }
 * regions:
 *   - name: us-east-1
 *     ports: { kafka: 19092, http: 18080, grpc: 18090, mqtt: 11883 }
 * links:                      # optional
 *   - between: [us-east-1, eu-west-1]
 *     rttMs: 70
 * </pre>
 * Unknown keys are rejected rather than ignored, so a misspelt key cannot go unnoticed.
 */
public final class TopologyLoader {

    /** The classpath resource holding the embedded three-region mesh (DESIGN.md 2.3). */
    public static final String EMBEDDED_RESOURCE = "topology/three-regions.yaml";

    private TopologyLoader() {
    }

    /**
     * Loads a topology file (UTF-8). Messages name the file by the path as given.
     *
     * @param file the YAML file
     * @return the topology
     * @throws TopologyException if the file cannot be read or is not a valid topology
     */
    public static Topology load(Path file) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new TopologyException(source, TopologyException.DOCUMENT_KEY, "file not found", null, e);
        } catch (IOException e) {
            throw new TopologyException(source, TopologyException.DOCUMENT_KEY, "cannot read file: " + e, null, e);
        }
        return parse(source, text);
    }

    /**
     * Loads a topology from the classpath (UTF-8). Messages name it by its last path segment,
     * e.g. {@code three-regions.yaml}.
     *
     * @param classpathResource the resource path, e.g. {@value #EMBEDDED_RESOURCE}
     * @return the topology
     * @throws TopologyException if the resource is missing or is not a valid topology
     */
    public static Topology loadResource(String classpathResource) {
        String resource = classpathResource.startsWith("/") ? classpathResource.substring(1) : classpathResource;
        String source = resource.substring(resource.lastIndexOf('/') + 1);
        try (InputStream in = open(resource)) {
            if (in == null) {
                throw new TopologyException(source, TopologyException.DOCUMENT_KEY,
                        "no such classpath resource '" + resource + "'", null);
            }
            return parse(source, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TopologyException(source, TopologyException.DOCUMENT_KEY,
                    "cannot read classpath resource '" + resource + "': " + e, null, e);
        }
    }

    /**
     * Parses topology YAML.
     *
     * @param source   the name to use in messages, usually the file name
     * @param yamlText the document
     * @return the topology
     * @throws TopologyException if the text is not a valid topology
     */
    public static Topology parse(String source, String yamlText) {
        return TopologyReader.read(source, yamlText);
    }

    private static InputStream open(String resource) {
        // The context loader sees an application's own resources; ours sees the embedded one.
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        InputStream in = context == null ? null : context.getResourceAsStream(resource);
        return in != null ? in : TopologyLoader.class.getClassLoader().getResourceAsStream(resource);
    }
}
