package io.aquarium.fish.drivers.docker;

import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.config.ConfigValues;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the images tasks make may go. An application's owner may run tasks, so what they commit must
 * never take a name that labels use: the {@code image} task commits only to
 * {@code <prefix>/<application UID>[:tag]}, and a local image a task made is used under another name
 * only as its own snapshot ({@code <repository>:<application UID>}, a tag no one else holds).
 *
 * @param prefix the repository path every task image lives under ({@code image_prefix})
 */
public record ImageNamespace(String prefix) {
    public static final String DEFAULT_PREFIX = "fish-image";
    /** Docker's repository grammar, lower case: an optional registry host, then path components. */
    static final Pattern PREFIX = Pattern.compile(
            "([a-z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    /** Where engines put a name without a registry (Podman's {@code localhost/}, Docker's hub). */
    private static final String[] LOCAL_REGISTRIES = {"localhost/", "docker.io/"};

    public ImageNamespace {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("not an image repository path: " + ConfigValues.describe(prefix));
        }
    }

    /**
     * The image the {@code image} task of {@code application} commits to: {@code requested} (the
     * task's {@code name} option, null for none) when it names that application's repository, with
     * {@code latest} as the tag it may leave out.
     *
     * @throws DriverException for any other name, saying which names are allowed
     */
    String imageTaskTarget(String application, String requested) {
        String repository = prefix + "/" + application;
        if (requested == null) {
            return repository + ":latest";
        }
        String image = DockerDriverOptions.withTag(requested);
        String tag = DockerDriverOptions.tag(image);
        if (image.contains("@") || !TAG.matcher(tag).matches()
                || !local(DockerDriverOptions.repository(image)).equals(local(repository))) {
            throw new DriverException("docker driver: the image task commits only to " + repository
                    + "[:tag], not to " + ConfigValues.describe(requested));
        }
        return repository + ":" + tag;
    }

    /**
     * Whether a local image with {@code labels} may be used under {@code image}: always when no task
     * made it; when one did (it carries the application label), only under a name in this namespace or
     * as that application's snapshot tag. Otherwise a task's image took a name it must not hold (an
     * earlier version let the image task name any tag).
     */
    boolean mayUse(String image, Map<String, String> labels) {
        String application = labels == null ? null : labels.get(DockerDriver.LABEL_APPLICATION);
        if (application == null || application.isEmpty()) {
            return true;
        }
        String repository = local(DockerDriverOptions.repository(image));
        return repository.startsWith(local(prefix) + "/")
                || (!image.contains("@") && DockerDriverOptions.tag(image).equals(application));
    }

    private static String local(String repository) {
        for (String registry : LOCAL_REGISTRIES) {
            if (repository.startsWith(registry)) {
                return repository.substring(registry.length());
            }
        }
        return repository;
    }
}
