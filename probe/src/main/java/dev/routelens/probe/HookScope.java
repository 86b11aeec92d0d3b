package dev.routelens.probe;

/** Registered hooks that stay active until {@link #close()}; use with try-with-resources. */
public final class HookScope implements AutoCloseable {
    private final Runnable remove;
    private boolean closed;

    HookScope(Runnable remove) {
        this.remove = remove;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            remove.run();
        }
    }
}
