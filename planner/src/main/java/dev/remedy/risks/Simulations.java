package dev.remedy.risks;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs independent simulations on every core, one {@link Simulator} per thread since its scratch arrays are
 * its own. Each thread takes the next index when it finishes one (a zone pair costs a thousand node pairs),
 * and the results come back in index order, so what is reported does not depend on which thread ran what.
 * The simulators are kept for the next {@link #map}.
 */
final class Simulations {

    /** What to simulate for one index, on the calling thread's simulator. */
    interface Task<R> {
        R run(Simulator simulator, int index);
    }

    private final ClusterModel model;
    private final Simulator[] simulators;

    Simulations(ClusterModel model) {
        this.model = model;
        this.simulators = new Simulator[Math.max(1, Runtime.getRuntime().availableProcessors())];
    }

    /** The results of {@code task} for indexes 0 to {@code count - 1}, in that order. */
    <R> List<R> map(int count, Task<R> task) {
        Object[] results = new Object[count];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int workers = Math.min(simulators.length, count);
        Thread[] threads = new Thread[Math.max(0, workers - 1)];
        for (int k = 0; k < threads.length; k++) {
            int worker = k + 1;
            threads[k] = new Thread(() -> work(worker, count, task, results, next, failure), "risk-simulator");
            threads[k].setDaemon(true);
            threads[k].start();
        }
        work(0, count, task, results, next, failure);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while simulating risks.", e);
            }
        }
        Throwable thrown = failure.get();
        if (thrown instanceof RuntimeException e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        List<R> list = (List<R>) Arrays.asList(results);
        return list;
    }

    private <R> void work(
            int worker,
            int count,
            Task<R> task,
            Object[] results,
            AtomicInteger next,
            AtomicReference<Throwable> failure) {
        try {
            if (simulators[worker] == null) {
                simulators[worker] = new Simulator(model);
            }
            Simulator simulator = simulators[worker];
            for (int i = next.getAndIncrement(); i < count && failure.get() == null; i = next.getAndIncrement()) {
                results[i] = task.run(simulator, i);
            }
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
    }
}
