package org.sgdlab.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A second thread for the largest loops of the Java kernels, those of a batch of one, and for the
 * halves of a batch that {@link Gemm#inHalves} runs side by side: the caller runs the first part
 * and the helper the rest, then the caller waits for it. Handing over a task through a volatile
 * field takes well under a microsecond, where a thread pool takes tens; the halves of a 100 x 1024
 * weight then stay in the two cores' own caches from one step to the next, since the forward
 * product and the update split it the same way.
 *
 * <p>Between tasks the helper spins for {@link #SPIN_NANOS} (the next step of a training loop comes
 * sooner), then parks until the next task. One caller at a time uses it; another caller, or any
 * caller while the helper is off ({@link #setEnabled}, or a single core), runs the whole range
 * itself. Each column is computed by the same operations whichever thread runs it, so results do
 * not depend on whether the helper is used.
 */
final class HelperThread {
    /** How long the helper spins for the next task before it parks. */
    static final long SPIN_NANOS = 200_000;

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static final AtomicLong CLAIMED = new AtomicLong();
    private static volatile boolean enabled = Runtime.getRuntime().availableProcessors() > 1;
    private static volatile Thread thread;
    private static volatile long posted;
    private static volatile long completed;
    private static volatile boolean parked;
    private static volatile Throwable failure;
    private static Runnable task;

    private HelperThread() {}

    /** Turns the helper on or off; it is on by default when the machine has more than one core. */
    static void setEnabled(boolean on) {
        enabled = on && Runtime.getRuntime().availableProcessors() > 1;
    }

    /** Runs first on this thread and second on the helper when it is free, else both here. */
    static void run(Runnable first, Runnable second) {
        if (!enabled || !BUSY.compareAndSet(false, true)) {
            first.run();
            second.run();
            return;
        }
        try {
            start();
            task = second;
            long sequence = posted + 1;
            posted = sequence;
            if (parked) {
                LockSupport.unpark(thread);
            }
            boolean taken;
            try {
                first.run();
            } finally {
                taken = CLAIMED.compareAndSet(sequence - 1, sequence);
                while (!taken && completed != sequence) {
                    Thread.onSpinWait();
                }
                task = null;
            }
            if (taken) {
                second.run();
            }
            Throwable thrown = failure;
            if (thrown != null) {
                failure = null;
                if (thrown instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (thrown instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(thrown);
            }
        } finally {
            BUSY.set(false);
        }
    }

    private static void start() {
        if (thread == null) {
            Thread started = new Thread(HelperThread::serve, "sgdlab-kernel-helper");
            started.setDaemon(true);
            started.start();
            thread = started;
        }
    }

    private static void serve() {
        long seen = 0;
        while (true) {
            long waitingSince = System.nanoTime();
            while (posted == seen) {
                if (System.nanoTime() - waitingSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (posted == seen) {
                    LockSupport.park();
                }
                parked = false;
                waitingSince = System.nanoTime();
            }
            seen = posted;
            if (CLAIMED.compareAndSet(seen - 1, seen)) {
                try {
                    task.run();
                } catch (Throwable thrown) {
                    failure = thrown;
                }
                completed = seen;
            }
        }
    }
}
