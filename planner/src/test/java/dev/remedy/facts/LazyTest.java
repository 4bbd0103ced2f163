package dev.remedy.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTest {

    @Test
    void worksOutTheValueOnceForEveryThreadThatAsks() throws InterruptedException, ExecutionException {
        AtomicInteger made = new AtomicInteger();
        Lazy<List<Integer>> value = Lazy.of(() -> List.of(made.incrementAndGet()));
        CountDownLatch start = new CountDownLatch(1);
        List<FutureTask<List<Integer>>> readers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            FutureTask<List<Integer>> reader = new FutureTask<>(() -> {
                start.await();
                return value.get();
            });
            Thread.ofPlatform().start(reader);
            readers.add(reader);
        }

        start.countDown();

        for (FutureTask<List<Integer>> reader : readers) {
            assertThat(reader.get()).isSameAs(value.get());
        }
        assertThat(made).hasValue(1);
    }

    @Test
    void aFailureIsThrownToTheCallerAndTheNextCallTriesAgain() {
        AtomicInteger calls = new AtomicInteger();
        Lazy<String> value = Lazy.of(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first");
            }
            return "second";
        });

        assertThatThrownBy(value::get).hasMessage("first");
        assertThat(value.get()).isEqualTo("second");
        assertThat(value.get()).isEqualTo("second");
        assertThat(calls).hasValue(2);
    }
}
