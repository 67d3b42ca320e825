package io.meshwork.connectors.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * A chain of Connect transformations, each optionally guarded by a predicate, built from Connect's
 * own property layout ({@code transforms}, {@code transforms.<alias>.type|predicate|negate} and
 * settings, {@code predicates}, {@code predicates.<alias>.type} and settings) and applied the way
 * a Connect worker applies it: a stage whose predicate does not hold (xor {@code negate}) passes
 * the record on unchanged; a stage that returns {@code null} drops it and ends the chain.
 *
 * <p>It exists because Connect's own chain ({@code TransformationStage}) is runtime-internal
 * (package-private constructors over plugin-isolation wrappers): the push link runs the mesh's
 * link SMTs outside a Connect worker, from the same properties MirrorMaker gets.
 *
 * @param <R> the record type
 */
public final class TransformChain<R extends ConnectRecord<R>> implements AutoCloseable {

    private record Stage<R extends ConnectRecord<R>>(Transformation<R> transformation, Predicate<R> predicate, boolean negate) {
        R apply(R record) {
            if (predicate != null && predicate.test(record) == negate) {
                return record;
            }
            return transformation.apply(record);
        }
    }

    private final List<Stage<R>> stages;
    private final List<Predicate<R>> predicates;

    private TransformChain(List<Stage<R>> stages, List<Predicate<R>> predicates) {
        this.stages = stages;
        this.predicates = predicates;
    }

    /**
     * Instantiates and configures every transformation and predicate {@code props} names.
     *
     * @param props Connect's transform and predicate properties, without a connector prefix
     * @throws ConfigException naming the key whose class is missing or cannot be loaded, or a
     *                         predicate alias that {@code predicates} does not declare
     */
    public static <R extends ConnectRecord<R>> TransformChain<R> from(Map<String, String> props) {
        Map<String, Predicate<R>> predicates = new HashMap<>();
        for (String alias : aliases(props.get("predicates"))) {
            @SuppressWarnings("unchecked")
            Predicate<R> predicate = instance(props, "predicates." + alias, Predicate.class);
            predicates.put(alias, predicate);
        }
        List<Stage<R>> stages = new ArrayList<>();
        for (String alias : aliases(props.get("transforms"))) {
            String prefix = "transforms." + alias;
            @SuppressWarnings("unchecked")
            Transformation<R> transformation = instance(props, prefix, Transformation.class);
            String predicateAlias = props.get(prefix + ".predicate");
            Predicate<R> predicate = null;
            if (predicateAlias != null && !predicateAlias.isBlank()) {
                predicate = predicates.get(predicateAlias.trim());
                if (predicate == null) {
                    throw new ConfigException(prefix + ".predicate", predicateAlias, "no such predicate declared in 'predicates'");
                }
            }
            stages.add(new Stage<>(transformation, predicate, Boolean.parseBoolean(props.getOrDefault(prefix + ".negate", "false"))));
        }
        return new TransformChain<>(List.copyOf(stages), List.copyOf(predicates.values()));
    }

    /** The record after every stage, or {@code null} if a stage dropped it. */
    public R apply(R record) {
        R current = record;
        for (Stage<R> stage : stages) {
            current = stage.apply(current);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static List<String> aliases(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(alias -> !alias.isEmpty()).toList();
    }

    private static <T extends Configurable> T instance(Map<String, String> props, String prefix, Class<T> base) {
        String type = props.get(prefix + ".type");
        if (type == null || type.isBlank()) {
            throw new ConfigException(prefix + ".type", type, "missing the class of " + prefix);
        }
        T instance;
        try {
            instance = Utils.newInstance(type.trim(), base);
        } catch (ClassNotFoundException e) {
            throw new ConfigException(prefix + ".type", type, "class not found");
        }
        // Connect hands each plugin its own properties with the prefix removed ("type" and "predicate" included).
        Map<String, String> own = new HashMap<>();
        props.forEach((key, value) -> {
            if (key.startsWith(prefix + ".")) {
                own.put(key.substring(prefix.length() + 1), value);
            }
        });
        instance.configure(own);
        return instance;
    }

    @Override
    public void close() {
        stages.forEach(stage -> Utils.closeQuietly(stage.transformation(), "transformation"));
        predicates.forEach(predicate -> Utils.closeQuietly(predicate, "predicate"));
    }
}
