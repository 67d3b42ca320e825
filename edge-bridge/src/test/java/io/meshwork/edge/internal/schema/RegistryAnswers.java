package io.meshwork.edge.internal.schema;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link BindingSource} answering what the test sets: bindings, or {@code null} for a registry that cannot be reached. */
final class RegistryAnswers implements BindingSource {

    private final AtomicReference<List<SchemaBinding>> answer;

    RegistryAnswers(List<SchemaBinding> answer) {
        this.answer = new AtomicReference<>(answer);
    }

    void answer(List<SchemaBinding> bindings) {
        answer.set(bindings);
    }

    @Override
    public List<SchemaBinding> read(List<SchemaBinding> known) throws IOException {
        List<SchemaBinding> bindings = answer.get();
        if (bindings == null) {
            throw new IOException("connection refused");
        }
        return bindings;
    }

    @Override
    public String describe() {
        return "test registry";
    }
}
