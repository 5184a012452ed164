package io.aquarium.fish.drivers.nativeproc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.drivers.common.WorkloadEnvironment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code options} of a label definition served by the native driver: {@code command}, the
 * argv to run (no shell unless it names one), and optional {@code env}, variables set on top of the
 * metadata's. Other keys are ignored, as the original node does.
 */
public record NativeDriverOptions(List<String> command, Map<String, String> env) {
    private static final String DRIVER = "native driver";

    public NativeDriverOptions {
        command = List.copyOf(command);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(env, "env")));
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
    }

    /** @throws DriverException when the options are not an object, or command/env are missing or malformed */
    public static NativeDriverOptions parse(RawJson options) {
        JsonNode root;
        try {
            root = options == null ? null : WorkloadEnvironment.OPTIONS_JSON.readTree(options.json());
        } catch (JacksonException e) {
            throw new DriverException("native driver: unable to parse the definition options: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new DriverException("native driver: the definition options must be a JSON object with a command");
        }
        return new NativeDriverOptions(WorkloadEnvironment.parseCommand(root.get("command"), DRIVER, true),
                WorkloadEnvironment.parseOption(root.get("env"), DRIVER));
    }

}
