package dev.remedy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the repository's folders and the shared corpus. */
public final class RepoPaths {

    private RepoPaths() {}

    /** The repository root: set by Maven, else found from the working directory. */
    public static Path root() {
        String property = System.getProperty("remedy.repo.root");
        if (property != null) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("knowledge-base")) ? here : here.getParent();
    }

    public static Path plans() {
        return root().resolve("plans");
    }

    public static Path knowledgeBase() {
        return root().resolve("knowledge-base");
    }

    /** {@code ../shared/corpus} beside the repository; absent on a user's machine. */
    public static Path corpus() {
        return root().resolveSibling("shared").resolve("corpus");
    }

    public static Path testResource(String relative) {
        return root().resolve("planner/src/test/resources").resolve(relative);
    }
}
