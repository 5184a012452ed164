package io.aquarium.fish.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects every problem of one config check, so an operator sees them all in one run. A problem's
 * key finds its line in the file ({@code drivers[0].cfg.cpu_limit}, else its nearest parent).
 */
public final class ConfigProblems {
    private final String file;
    private final Map<String, Integer> lines;
    private final List<ConfigProblem> problems;
    private final String prefix;

    /**
     * @param file  the file as the operator named it, or null
     * @param lines the line of each key path in the file
     */
    public ConfigProblems(String file, Map<String, Integer> lines) {
        this(file, Map.copyOf(lines), new ArrayList<>(), "");
    }

    private ConfigProblems(String file, Map<String, Integer> lines, List<ConfigProblem> problems, String prefix) {
        this.file = file;
        this.lines = lines;
        this.problems = problems;
        this.prefix = prefix;
    }

    /** A view adding to the same list whose keys are under {@code path} ({@code drivers[0].cfg}). */
    public ConfigProblems under(String path) {
        return new ConfigProblems(file, lines, problems, prefix + path + ".");
    }

    public void error(String key, String message) {
        add(ConfigProblem.Severity.ERROR, key, message);
    }

    public void warning(String key, String message) {
        add(ConfigProblem.Severity.WARNING, key, message);
    }

    private synchronized void add(ConfigProblem.Severity severity, String key, String message) {
        String path = key == null ? (prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1))
                : prefix + key;
        problems.add(new ConfigProblem(severity, file, line(path), path, message));
    }

    private int line(String path) {
        String p = path;
        while (p != null && !p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut <= 0 ? null : p.substring(0, cut);
        }
        return 0;
    }

    public synchronized List<ConfigProblem> list() {
        return List.copyOf(problems);
    }

    public synchronized boolean hasErrors() {
        return problems.stream().anyMatch(ConfigProblem::isError);
    }
}
