package dev.remedy.cli;

import picocli.CommandLine;

/** The version from the jar's manifest, or "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = RemedyCommand.class.getPackage().getImplementationVersion();
        return new String[] {"kubectl remedy " + (version == null ? "development" : version)};
    }
}
