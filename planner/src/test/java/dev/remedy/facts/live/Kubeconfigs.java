package dev.remedy.facts.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kubeconfig files for tests: two contexts, {@code mock} on the mock server and {@code elsewhere} on nothing. */
public final class Kubeconfigs {

    private Kubeconfigs() {}

    public static Path write(Path dir, String mockServerUrl) {
        String text = """
                apiVersion: v1
                kind: Config
                current-context: elsewhere
                clusters:
                - name: mock
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                - name: elsewhere
                  cluster:
                    server: https://127.0.0.1:1
                    insecure-skip-tls-verify: true
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: sre
                    namespace: team-a
                - name: elsewhere
                  context:
                    cluster: elsewhere
                    user: sre
                users:
                - name: sre
                  user:
                    token: not-a-real-token
                """.formatted(mockServerUrl);
        try {
            Path file = dir.resolve("kubeconfig");
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
