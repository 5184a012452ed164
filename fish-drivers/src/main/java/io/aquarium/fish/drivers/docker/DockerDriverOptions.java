package io.aquarium.fish.drivers.docker;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.drivers.common.WorkloadEnvironment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code options} of a label definition served by the docker driver: {@code image}
 * ({@code name:tag}, {@code latest} when no tag is given; pulled when missing), optional
 * {@code command} (argv replacing the image's CMD) and {@code env} (variables on top of the
 * metadata's). Other keys are ignored, as the original node does.
 */
public record DockerDriverOptions(String image, List<String> command, Map<String, String> env) {
    private static final String DRIVER = "docker driver";
    // Docker's reference grammar, loosely: [registry[:port]/]path[:tag][@digest], no spaces or controls.
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@-]*");

    public DockerDriverOptions {
        command = List.copyOf(command);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** @throws DriverException when the options are not an object or a key has a wrong value */
    public static DockerDriverOptions parse(RawJson options) {
        JsonNode root;
        try {
            root = options == null ? null : WorkloadEnvironment.OPTIONS_JSON.readTree(options.json());
        } catch (JacksonException e) {
            throw new DriverException("docker driver: unable to parse the definition options: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new DriverException("docker driver: the definition options must be a JSON object with an image");
        }
        JsonNode image = root.get("image");
        if (image == null || !image.isTextual() || image.asText().length() > 255
                || !IMAGE.matcher(image.asText()).matches()) {
            throw new DriverException("docker driver option 'image': expected an image name like name:tag");
        }
        return new DockerDriverOptions(withTag(image.asText()),
                WorkloadEnvironment.parseCommand(root.get("command"), DRIVER, false),
                WorkloadEnvironment.parseOption(root.get("env"), DRIVER));
    }

    /** {@code image} with ":latest" when it names neither a tag nor a digest. */
    static String withTag(String image) {
        if (image.contains("@")) {
            return image;
        }
        int slash = image.lastIndexOf('/');
        return image.indexOf(':', slash + 1) >= 0 ? image : image + ":latest";
    }

    /** The repository part of a tagged image reference (no tag, no digest). */
    static String repository(String image) {
        int at = image.indexOf('@');
        String ref = at >= 0 ? image.substring(0, at) : image;
        int slash = ref.lastIndexOf('/');
        int colon = ref.indexOf(':', slash + 1);
        return colon >= 0 ? ref.substring(0, colon) : ref;
    }

    /** The tag part of a tagged image reference. */
    static String tag(String image) {
        String repo = repository(image);
        return image.length() > repo.length() + 1 && image.charAt(repo.length()) == ':'
                ? image.substring(repo.length() + 1) : "latest";
    }
}
