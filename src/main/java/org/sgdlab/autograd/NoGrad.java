package org.sgdlab.autograd;

/**
 * A scope in which operations record nothing for differentiation, for evaluation and probes.
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *     Tensor logits = model.forward(testInputs);
 * }
 * }</pre>
 *
 * Scopes nest and belong to the thread that entered them, so runs of a sweep on other threads are
 * unaffected.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    private NoGrad() {
        DEPTH.get()[0]++;
    }

    /** Enters a scope that lasts until {@link #close()}. */
    public static NoGrad enter() {
        return new NoGrad();
    }

    /** Whether operations on this thread record their gradients. */
    public static boolean gradientsEnabled() {
        return DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
