package dev.remedy.execute;

/**
 * How much {@code apply} may do. {@code server}: every API write goes to the API server with
 * {@code dryRun=All} (admission and validation run, nothing changes); node actions only check their
 * preconditions and print their scripts. {@code client}: only validates locally. {@code none}: executes.
 */
public enum DryRun {
    server,
    client,
    none
}
