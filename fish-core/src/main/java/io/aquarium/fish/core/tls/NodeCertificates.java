package io.aquarium.fish.core.tls;

import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The node's TLS identity: a cluster CA and a node certificate it signed, kept as PEM files in the
 * data directory ({@code ca.key}, {@code ca.crt}, {@code <node>.key}, {@code <node>.crt}).
 *
 * <p>First start creates all four. A node joining a cluster gets the cluster's {@code ca.*} copied in
 * and signs its own node certificate with it. The node key is never replaced once it exists (the
 * node UID derives from it); its certificate is re-signed when it nears expiry or lacks a
 * requested subject alternative name.
 */
public final class NodeCertificates {
    private static final Logger log = LoggerFactory.getLogger(NodeCertificates.class);

    public static final String CA_KEY_FILE = "ca.key";
    public static final String CA_CRT_FILE = "ca.crt";
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration NODE_VALIDITY = Duration.ofDays(3650);
    /** Re-sign a node certificate this long before it expires. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private NodeCertificates() {
    }

    /** Loads the node's TLS files from {@code dataDir}, creating whatever is missing. */
    public static TlsMaterial ensure(Path dataDir, String nodeName, List<String> subjectAltNames, Clock clock) {
        requireUsableNodeName(nodeName);
        Objects.requireNonNull(subjectAltNames, "subjectAltNames");
        Instant now = clock.instant();
        CertificateIssuer issuer = new CertificateIssuer(new SecureRandom());
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create data directory " + dataDir, e);
        }
        Path caKeyFile = dataDir.resolve(CA_KEY_FILE);
        Path caCrtFile = dataDir.resolve(CA_CRT_FILE);
        Path nodeKeyFile = dataDir.resolve(nodeName + ".key");
        Path nodeCrtFile = dataDir.resolve(nodeName + ".crt");

        boolean caKeyExists = Files.exists(caKeyFile);
        boolean caCrtExists = Files.exists(caCrtFile);
        X509Certificate ca;
        PrivateKey caKey;
        if (caKeyExists && caCrtExists) {
            ca = PemFiles.readCertificate(caCrtFile);
            caKey = PemFiles.readKey(caKeyFile).privateKey();
            if (!keyMatches(caKey, ca.getPublicKey())) {
                throw new IllegalStateException(caKeyFile + " is not the key of " + caCrtFile);
            }
        } else if (!caKeyExists && !caCrtExists) {
            KeyPair caPair = issuer.newKeyPair();
            ca = issuer.caCertificate(caPair, now, CA_VALIDITY);
            caKey = caPair.getPrivate();
            PemFiles.writeEcKey(caKeyFile, caPair);
            PemFiles.writeCertificate(caCrtFile, ca);
            log.info("Created cluster CA in {}", caCrtFile);
        } else {
            throw new IllegalStateException("Found " + (caKeyExists ? caKeyFile : caCrtFile) + " without "
                    + (caKeyExists ? caCrtFile : caKeyFile) + ": copy both CA files or neither");
        }

        PrivateKey nodeKey;
        PublicKey nodePublicKey;
        X509Certificate nodeCert = null;
        if (Files.exists(nodeKeyFile)) {
            PemFiles.LoadedKey loaded = PemFiles.readKey(nodeKeyFile);
            nodeKey = loaded.privateKey();
            if (Files.exists(nodeCrtFile)) {
                nodeCert = PemFiles.readCertificate(nodeCrtFile);
                if (!keyMatches(nodeKey, nodeCert.getPublicKey())) {
                    throw new IllegalStateException(nodeKeyFile + " is not the key of " + nodeCrtFile);
                }
                nodePublicKey = nodeCert.getPublicKey();
            } else if (loaded.publicKey() != null) {
                nodePublicKey = loaded.publicKey();
            } else {
                throw new IllegalStateException(nodeCrtFile + " is missing and " + nodeKeyFile
                        + " does not carry its public key");
            }
        } else {
            if (Files.exists(nodeCrtFile)) {
                log.warn("{} has no key file; creating a new node key and certificate", nodeCrtFile);
            }
            KeyPair nodePair = issuer.newKeyPair();
            PemFiles.writeEcKey(nodeKeyFile, nodePair);
            nodeKey = nodePair.getPrivate();
            nodePublicKey = nodePair.getPublic();
        }

        if (nodeCert != null && !signedBy(nodeCert, ca)) {
            throw new IllegalStateException(nodeCrtFile + " is not signed by " + caCrtFile);
        }
        String renewReason = nodeCert == null ? "new" : renewReason(nodeCert, subjectAltNames, now);
        if (renewReason != null) {
            nodeCert = issuer.nodeCertificate(nodeName, nodePublicKey, ca, caKey, subjectAltNames, now, NODE_VALIDITY);
            PemFiles.writeCertificate(nodeCrtFile, nodeCert);
            log.info("Signed node certificate {} ({})", nodeCrtFile, renewReason);
        }
        return material(ca, List.of(nodeCert, ca), nodeKey);
    }

    /**
     * Loads operator-given files. {@code nodeCrt} may hold a chain (node certificate first, then
     * intermediates); every link must verify, ending at {@code caCrt}.
     */
    public static TlsMaterial load(Path caCrt, Path nodeKey, Path nodeCrt) {
        X509Certificate ca = PemFiles.readCertificate(caCrt);
        PrivateKey key = PemFiles.readKey(nodeKey).privateKey();
        List<X509Certificate> chain = new ArrayList<>(PemFiles.readCertificates(nodeCrt));
        if (!keyMatches(key, chain.get(0).getPublicKey())) {
            throw new IllegalStateException(nodeKey + " is not the key of " + nodeCrt);
        }
        if (chain.size() > 1 && chain.get(chain.size() - 1).equals(ca)) {
            chain.remove(chain.size() - 1);
        }
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate signer = i + 1 < chain.size() ? chain.get(i + 1) : ca;
            if (!signedBy(chain.get(i), signer)) {
                throw new IllegalStateException("Certificate chain in " + nodeCrt + " does not verify up to " + caCrt);
            }
        }
        chain.add(ca);
        return material(ca, chain, key);
    }

    /** A client context that trusts exactly the given CA (hostnames are still checked by HTTPS clients). */
    public static SSLContext clientContextTrusting(X509Certificate ca) {
        try {
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("ca", ca);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot create a TLS client context", e);
        }
    }

    private static TlsMaterial material(X509Certificate ca, List<X509Certificate> chain, PrivateKey key) {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        // The store never leaves memory; the password only satisfies the KeyStore API.
        char[] password = Base64.getEncoder().encodeToString(secret).toCharArray();
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(TlsMaterial.KEY_ALIAS, key, password, chain.toArray(Certificate[]::new));
            return new TlsMaterial(keyStore, password, ca, chain.get(0), key);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot build the TLS key store", e);
        }
    }

    private static String renewReason(X509Certificate cert, List<String> subjectAltNames, Instant now) {
        if (now.isBefore(cert.getNotBefore().toInstant())) {
            return "not valid yet";
        }
        if (now.plus(RENEW_BEFORE).isAfter(cert.getNotAfter().toInstant())) {
            return "expires " + cert.getNotAfter().toInstant();
        }
        Set<GeneralName> present = presentSans(cert);
        for (GeneralName wanted : CertificateIssuer.sanNames(subjectAltNames)) {
            if (!present.contains(wanted)) {
                return "adds " + wanted;
            }
        }
        return null;
    }

    private static Set<GeneralName> presentSans(X509Certificate cert) {
        try {
            GeneralNames names = GeneralNames.fromExtensions(
                    new JcaX509CertificateHolder(cert).getExtensions(), Extension.subjectAlternativeName);
            Set<GeneralName> present = new HashSet<>();
            if (names != null) {
                for (GeneralName name : names.getNames()) {
                    present.add(name.getTagNo() == GeneralName.dNSName
                            ? new GeneralName(GeneralName.dNSName, name.getName().toString().toLowerCase(Locale.ROOT))
                            : name);
                }
            }
            return present;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Unreadable certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Proves the pair by a signature round trip, which works for any key type the JDK knows. */
    private static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) {
        try {
            String algorithm = CertificateIssuer.signatureAlgorithm(privateKey);
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void requireUsableNodeName(String nodeName) {
        if (nodeName == null || nodeName.isBlank() || nodeName.contains("/") || nodeName.contains("\\")
                || nodeName.equals(".") || nodeName.equals("..") || nodeName.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Node name cannot be used as a file name: " + nodeName);
        }
        if (nodeName.equalsIgnoreCase("ca")) {
            throw new IllegalArgumentException("Node name 'ca' would overwrite the CA files");
        }
    }
}
