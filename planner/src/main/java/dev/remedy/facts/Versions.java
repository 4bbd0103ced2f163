package dev.remedy.facts;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes and etcd version strings ({@code v1.12.3}, {@code 3.2.24}, {@code v1.24.4+k3s1}) as numbers. */
public record Versions(int major, int minor, int patch) implements Comparable<Versions> {

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    public static Optional<Versions> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = VERSION.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(new Versions(
                Integer.parseInt(matcher.group(1)),
                Integer.parseInt(matcher.group(2)),
                matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3))));
    }

    /** The version from an image reference such as {@code k8s.gcr.io/kube-apiserver:v1.12.3}. */
    public static Optional<String> imageTag(String image) {
        if (image == null) {
            return Optional.empty();
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        int at = image.indexOf('@');
        if (colon <= slash) {
            return Optional.empty();
        }
        return Optional.of(image.substring(colon + 1, at > colon ? at : image.length()));
    }

    @Override
    public int compareTo(Versions other) {
        if (major != other.major) {
            return Integer.compare(major, other.major);
        }
        if (minor != other.minor) {
            return Integer.compare(minor, other.minor);
        }
        return Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return "v" + major + "." + minor + "." + patch;
    }
}
