package io.meshwork.edge.internal.schema;

import java.io.IOException;
import java.util.List;

/** Where the edge reads its schema bindings from: the registry ({@link ApicurioRegistry}). */
interface BindingSource {

    /**
     * Reads every binding.
     *
     * @param known bindings read before, to reuse when unchanged
     * @throws IOException when the source cannot be read
     */
    List<SchemaBinding> read(List<SchemaBinding> known) throws IOException, InterruptedException;

    /** Where the source is, for logs. */
    String describe();
}
