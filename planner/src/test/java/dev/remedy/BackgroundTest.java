package dev.remedy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class BackgroundTest {

    @Test
    void joinReturnsWhatTheWorkReturnedOnItsOwnThread() {
        Background<String> work =
                Background.start("background-test", () -> Thread.currentThread().getName());

        assertThat(work.join()).isEqualTo("background-test");
    }

    @Test
    void joinRethrowsTheWorksUncheckedExceptionItself() {
        IllegalArgumentException thrown = new IllegalArgumentException("The file (a.yaml) line 3: bad.");
        Background<String> work = Background.start("background-test", () -> {
            throw thrown;
        });

        assertThatThrownBy(work::join).isSameAs(thrown);
    }

    @Test
    void joinRethrowsErrorsAndWrapsCheckedExceptions() {
        Background<String> error = Background.start("background-test", () -> {
            throw new OutOfMemoryError("Java heap space");
        });
        Background<String> checked = Background.start("background-test", () -> {
            throw new IOException("disk gone");
        });

        assertThatThrownBy(error::join).isInstanceOf(OutOfMemoryError.class);
        assertThatThrownBy(checked::join)
                .isInstanceOf(IllegalStateException.class)
                .hasCauseInstanceOf(IOException.class);
    }
}
