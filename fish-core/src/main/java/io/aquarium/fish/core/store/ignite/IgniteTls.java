package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.tls.TlsMaterial;

import javax.cache.configuration.Factory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * TLS between cluster nodes with the node certificates: each node presents its own certificate and
 * trusts only the cluster CA, so a node whose certificate another CA signed cannot join.
 */
public final class IgniteTls implements Factory<SSLContext> {
    private static final long serialVersionUID = 1L;

    /** Built once per node; the factory is never sent to other nodes, so it need not survive serialization. */
    private final transient SSLContext context;

    private IgniteTls(SSLContext context) {
        this.context = context;
    }

    public static IgniteTls of(TlsMaterial tls) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(tls.keyStore(), tls.keyStorePassword());
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("fish-cluster-ca", tls.caCertificate());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return new IgniteTls(context);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Unable to build the cluster TLS context: " + e.getMessage(), e);
        }
    }

    @Override
    public SSLContext create() {
        return context;
    }
}
