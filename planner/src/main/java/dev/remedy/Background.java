package dev.remedy;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Work started on a daemon thread of its own and joined later: what it returns, or what it threw, as if it had
 * run on the joining thread. For independent steps that would otherwise wait for each other on a 2-core
 * machine, such as compiling the knowledge base while the snapshot is read.
 */
public final class Background<T> {

    private final String name;
    private final FutureTask<T> task;

    private Background(String name, FutureTask<T> task) {
        this.name = name;
        this.task = task;
    }

    /** Starts {@code work} on a new daemon thread called {@code name}. */
    public static <T> Background<T> start(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofPlatform().name(name).daemon().start(task);
        return new Background<>(name, task);
    }

    /** Waits for the work; rethrows its unchecked exception or error unchanged. */
    public T join() {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + name + ".", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
