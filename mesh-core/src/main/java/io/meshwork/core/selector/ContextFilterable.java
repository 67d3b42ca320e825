package io.meshwork.core.selector;

import java.util.concurrent.ConcurrentMap;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.selector.filter.Filterable;

/** Presents a {@link SelectorContext} to the Artemis expression tree for one evaluation. */
final class ContextFilterable implements Filterable {

    private final ConcurrentMap<String, Identifier> identifiers;
    private final SelectorContext context;

    ContextFilterable(ConcurrentMap<String, Identifier> identifiers, SelectorContext context) {
        this.identifiers = identifiers;
        this.context = context;
    }

    @Override
    public Object getProperty(SimpleString name) {
        // SimpleString caches its toString(), and the tree holds one instance per identifier,
        // so after the first evaluation this is a map hit.
        String key = name.toString();
        Identifier identifier = identifiers.get(key);
        if (identifier == null) {
            identifier = identifiers.computeIfAbsent(key, Identifier::of);
        }
        return identifier.resolve(context);
    }

    @Override
    public <T> T getBodyAs(Class<T> type) {
        // Only XPATH/XQUERY ask for the body, and the preprocessor rejects those.
        return null;
    }

    @Override
    public Object getLocalConnectionId() {
        return null;
    }
}
