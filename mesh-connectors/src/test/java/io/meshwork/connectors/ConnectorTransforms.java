package io.meshwork.connectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * The transform chain of a connector config, built and run the way the Connect runtime does it:
 * {@code predicates} and {@code transforms} list aliases; each plugin is loaded by class name from
 * {@code <kind>.<alias>.type} and configured with its {@code <kind>.<alias>.} properties; a
 * transformation with a {@code predicate} applies only where the predicate (xor {@code negate})
 * holds; a null result ends the chain (the record is dropped).
 *
 * @param <R> the record type
 */
public final class ConnectorTransforms<R extends ConnectRecord<R>> {

    private record Stage<R extends ConnectRecord<R>>(Transformation<R> transformation, Predicate<R> predicate, boolean negate) {
    }

    private final List<Stage<R>> stages;

    private ConnectorTransforms(List<Stage<R>> stages) {
        this.stages = stages;
    }

    public static <R extends ConnectRecord<R>> ConnectorTransforms<R> fromConnectorConfig(Map<String, String> config) {
        Map<String, Predicate<R>> predicates = new HashMap<>();
        for (String alias : aliases(config.get("predicates"))) {
            String prefix = "predicates." + alias + ".";
            Predicate<R> predicate = instantiate(config.get(prefix + "type"));
            predicate.configure(withPrefixStripped(config, prefix));
            predicates.put(alias, predicate);
        }
        List<Stage<R>> stages = new ArrayList<>();
        for (String alias : aliases(config.get("transforms"))) {
            String prefix = "transforms." + alias + ".";
            Map<String, String> settings = withPrefixStripped(config, prefix);
            String predicateAlias = settings.remove("predicate");
            boolean negate = Boolean.parseBoolean(settings.remove("negate"));
            Transformation<R> transformation = instantiate(settings.get("type"));
            transformation.configure(settings);
            Predicate<R> predicate = null;
            if (predicateAlias != null) {
                predicate = predicates.get(predicateAlias);
                if (predicate == null) {
                    throw new IllegalArgumentException("transform " + alias + " names unknown predicate " + predicateAlias);
                }
            }
            stages.add(new Stage<>(transformation, predicate, negate));
        }
        return new ConnectorTransforms<>(stages);
    }

    /** @return the record after every stage, or null when a stage dropped it */
    public R apply(R record) {
        R current = record;
        for (Stage<R> stage : stages) {
            if (stage.predicate() == null || stage.negate() ^ stage.predicate().test(current)) {
                current = stage.transformation().apply(current);
                if (current == null) {
                    return null;
                }
            }
        }
        return current;
    }

    private static List<String> aliases(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).toList();
    }

    private static Map<String, String> withPrefixStripped(Map<String, String> config, String prefix) {
        Map<String, String> stripped = new HashMap<>();
        config.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                stripped.put(key.substring(prefix.length()), value);
            }
        });
        return stripped;
    }

    @SuppressWarnings("unchecked")
    private static <T> T instantiate(String className) {
        if (className == null) {
            throw new IllegalArgumentException("plugin without a type");
        }
        try {
            return (T) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot load plugin " + className, e);
        }
    }
}
