package io.aquarium.fish.api.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The user name and password of an {@code Authorization: Basic ...} header, shared by REST v1 and the
 * v2 RPC API so that both accept exactly the same credentials. Bounded so that a huge header cannot
 * make the node hash megabytes.
 */
public record BasicCredentials(String name, String password) {
    private static final int MAX_NAME = 256;
    private static final int MAX_PASSWORD = 1024;

    /** Empty for a missing, non-Basic, undecodable or oversized header. */
    public static Optional<BasicCredentials> parse(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon > MAX_NAME || decoded.length() - colon - 1 > MAX_PASSWORD) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    /** Never the password: records print their components, and credentials must not reach a log. */
    @Override
    public String toString() {
        return "BasicCredentials[" + name + "]";
    }
}
