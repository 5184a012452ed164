package io.aquarium.fish.core.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Meta API tokens: how a workload that shares its address with others (a native process, anything
 * on the node's own host) proves which resource it is. A token is
 * {@code <application UID>.<base64url(HMAC-SHA256(node key, application UID))>}: the node gives it
 * to the workload in {@link #VARIABLE} and recognises it later without storing anything. The key is
 * this node's alone ({@link SecretKeyFile}), so a token names a resource of this node only, and it
 * is good exactly while that application is ALLOCATED here (the caller checks the store).
 */
public final class MetaTokens {
    /** The environment variable a workload finds its token in. */
    public static final String VARIABLE = "FISH_META_TOKEN";
    public static final int KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    /** Keeps these MACs apart from any other use a future version makes of the same key. */
    private static final String CONTEXT = "fish-meta-token:";
    private static final int UUID_TEXT = 36;

    private final SecretKeySpec key;

    public MetaTokens(byte[] key) {
        if (key.length < KEY_BYTES) {
            throw new IllegalArgumentException("a Meta API token key needs at least " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** The token of {@code application}'s resource on this node. */
    public String tokenFor(UUID application) {
        return application + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(application));
    }

    /** The application a token was made for by this node's key; empty for anything else (compared in constant time). */
    public Optional<UUID> applicationOf(String token) {
        if (token == null || token.length() <= UUID_TEXT + 1 || token.charAt(UUID_TEXT) != '.'
                || token.length() > UUID_TEXT + 1 + 64) {
            return Optional.empty();
        }
        UUID application;
        byte[] presented;
        try {
            application = UUID.fromString(token.substring(0, UUID_TEXT));
            presented = Base64.getUrlDecoder().decode(token.substring(UUID_TEXT + 1));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        // The UUID's own spelling must be the canonical one, so a token has exactly one valid form.
        if (!application.toString().equals(token.substring(0, UUID_TEXT))) {
            return Optional.empty();
        }
        return MessageDigest.isEqual(mac(application), presented) ? Optional.of(application) : Optional.empty();
    }

    private byte[] mac(UUID application) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal((CONTEXT + application).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
