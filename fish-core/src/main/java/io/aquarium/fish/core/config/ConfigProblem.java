package io.aquarium.fish.core.config;

import java.util.Locale;

/**
 * One thing wrong with a config: an error stops the node, a warning does not.
 *
 * @param file    the config file as the operator named it, or null (command-line values, defaults)
 * @param line    the line in {@code file} (1-based), 0 when not known
 * @param key     where in the config: {@code api_address}, {@code drivers[0].cfg.cpu_limit}; null for
 *                the file as a whole
 * @param message what is wrong and what is allowed, naming the key
 */
public record ConfigProblem(Severity severity, String file, int line, String key, String message) {
    public enum Severity { ERROR, WARNING }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code fish.yml:3: error: unknown key 'api_addres' (did you mean 'api_address'?)}. */
    public String format() {
        StringBuilder s = new StringBuilder();
        if (file != null) {
            s.append(file);
            if (line > 0) {
                s.append(':').append(line);
            }
            s.append(": ");
        }
        return s.append(severity.name().toLowerCase(Locale.ROOT)).append(": ").append(message).toString();
    }
}
