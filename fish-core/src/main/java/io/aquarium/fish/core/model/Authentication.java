package io.aquarium.fish.core.model;

/** How to log into a resource. Optional on definitions and resources. */
public record Authentication(String username, String password, String key, int port) {
    public Authentication {
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        key = key == null ? "" : key;
    }

    @Override
    public String toString() {
        return "Authentication[username=" + username + ", port=" + port + "]";
    }
}
