package io.aquarium.fish.core.tls;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Everything a TLS server needs. {@code keyStore} is an in-memory PKCS12 store holding the node key
 * with the chain [node certificate, ..., CA certificate] under {@link #KEY_ALIAS}, protected by
 * {@code keyStorePassword} (also the key's password), ready for Jetty's SslContextFactory.Server.
 */
public record TlsMaterial(KeyStore keyStore, char[] keyStorePassword, X509Certificate caCertificate,
                          X509Certificate nodeCertificate, PrivateKey nodeKey) {
    public static final String KEY_ALIAS = "node";

    public TlsMaterial {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(nodeCertificate, "nodeCertificate");
        Objects.requireNonNull(nodeKey, "nodeKey");
    }

    /** Leaves out the password and key: this object may end up in a log line. */
    @Override
    public String toString() {
        return "TlsMaterial[ca=" + caCertificate.getSubjectX500Principal().getName()
                + ", node=" + nodeCertificate.getSubjectX500Principal().getName()
                + ", notAfter=" + nodeCertificate.getNotAfter().toInstant() + "]";
    }
}
