package io.aquarium.fish.core.config;

/**
 * A {@code host:port} endpoint as written in the config ({@code 0.0.0.0:8001}, {@code [::1]:8001},
 * {@code :8001}). An empty host means every interface; port 0 asks for any free port.
 */
public record HostPort(String host, int port) {
    public static final int MAX_PORT = 65_535;

    public HostPort {
        if (host == null) {
            throw new IllegalArgumentException("host must not be null");
        }
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("port must be between 0 and " + MAX_PORT + " (got " + port + ")");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (Character.isWhitespace(c) || c == '[' || c == ']' || c == '/' || c == '@') {
                throw new IllegalArgumentException("host contains '" + c + "': '" + host + "'");
            }
        }
    }

    /**
     * Parses {@code host:port}; IPv6 literals need brackets, as in Go's {@code net.SplitHostPort}.
     *
     * @throws IllegalArgumentException with a message that quotes the input
     */
    public static HostPort parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected host:port, got an empty value");
        }
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw invalid(text, "missing ']'");
            }
            if (close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw invalid(text, "missing port after ']'");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw invalid(text, "missing port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw invalid(text, "too many colons (write IPv6 addresses as [::1]:8001)");
            }
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(text, "port must be a number between 0 and " + MAX_PORT);
        }
        int portNumber = Integer.parseInt(port);
        if (portNumber > MAX_PORT) {
            throw invalid(text, "port must be a number between 0 and " + MAX_PORT);
        }
        try {
            return new HostPort(host, portNumber);
        } catch (IllegalArgumentException e) {
            throw invalid(text, e.getMessage());
        }
    }

    /** Back to the form {@link #parse} reads; IPv6 hosts get their brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("expected host:port, got '" + text + "': " + why);
    }
}
