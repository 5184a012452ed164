package io.aquarium.fish.core.tls;

import io.aquarium.fish.core.node.NodeIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.math.BigInteger;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeCertificatesTest {
    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final List<String> SANS = List.of("fish.example.org", "10.1.2.3");

    @TempDir
    Path dir;

    private static Set<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static Set<List<Object>> sans(X509Certificate cert) throws Exception {
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        Set<List<Object>> result = new HashSet<>();
        for (List<?> name : names) {
            result.add(List.of(name.get(0), name.get(1)));
        }
        assertEquals(names.size(), result.size(), "no duplicate SANs");
        return result;
    }

    private static BigInteger scalar(PrivateKey key) {
        return ((ECPrivateKey) key).getS();
    }

    @Test
    void firstStartCreatesCaAndNodeFilesAndLaterStartsLoadThem() throws Exception {
        TlsMaterial first = NodeCertificates.ensure(dir, "node-1", SANS, CLOCK);

        assertEquals(Set.of("ca.key", "ca.crt", "node-1.key", "node-1.crt"), fileNames(dir));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node-1.key"))));
        }
        assertTrue(Files.readString(dir.resolve("node-1.crt")).startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(Files.readString(dir.resolve("ca.key")).startsWith("-----BEGIN EC PRIVATE KEY-----"));

        TlsMaterial second = NodeCertificates.ensure(dir, "node-1", SANS, CLOCK.withZone(ZoneOffset.UTC));

        assertEquals(first.caCertificate(), second.caCertificate());
        assertEquals(first.nodeCertificate(), second.nodeCertificate());
        assertEquals(scalar(first.nodeKey()), scalar(second.nodeKey()));
        assertEquals(NodeIdentity.uidFromPublicKey(first.nodeCertificate().getPublicKey()),
                NodeIdentity.uidFromPublicKey(second.nodeCertificate().getPublicKey()));
        assertEquals(Set.of("ca.key", "ca.crt", "node-1.key", "node-1.crt"), fileNames(dir));
    }

    @Test
    void certificatesAreAnEcdsaP256CaAndANodeCertificateItSigned() throws Exception {
        TlsMaterial tls = NodeCertificates.ensure(dir, "node-1", SANS, CLOCK);
        X509Certificate ca = tls.caCertificate();
        X509Certificate node = tls.nodeCertificate();

        ca.verify(ca.getPublicKey());
        node.verify(ca.getPublicKey());
        assertEquals(node.getIssuerX500Principal(), ca.getSubjectX500Principal());
        assertTrue(node.getSubjectX500Principal().getName().contains("CN=node-1"));
        assertTrue(ca.getBasicConstraints() >= 0, "CA certificate is a CA");
        assertEquals(-1, node.getBasicConstraints(), "node certificate is not a CA");
        assertTrue(ca.getKeyUsage()[5], "keyCertSign");
        assertTrue(node.getKeyUsage()[0], "digitalSignature");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), node.getExtendedKeyUsage());
        for (X509Certificate cert : List.of(ca, node)) {
            assertEquals("SHA256withECDSA", cert.getSigAlgName());
            assertEquals(256, ((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize());
            assertTrue(cert.getNotBefore().toInstant().isBefore(NOW.plusSeconds(1)));
        }
        assertEquals(NOW.plus(Duration.ofDays(3650)), ca.getNotAfter().toInstant());
        assertTrue(node.getNotAfter().toInstant().isAfter(NOW.plus(Duration.ofDays(365))));
        assertEquals(tls.nodeKey().getAlgorithm(), "EC");
    }

    @Test
    void nodeCertificateCarriesRequestedAndLoopbackSans() throws Exception {
        List<String> requested = List.of("fish.example.org", "10.1.2.3", "FD00::1", "[fe80::2]", "localhost", " ", "Node-1.Local");
        X509Certificate node = NodeCertificates.ensure(dir, "node-1", requested, CLOCK).nodeCertificate();

        assertEquals(Set.of(
                List.of(2, "fish.example.org"),
                List.of(7, "10.1.2.3"),
                List.of(7, "fd00:0:0:0:0:0:0:1"),
                List.of(7, "fe80:0:0:0:0:0:0:2"),
                List.of(2, "node-1.local"),
                List.of(2, "localhost"),
                List.of(7, "127.0.0.1"),
                List.of(7, "0:0:0:0:0:0:0:1")), sans(node));
    }

    @Test
    void keyStoreHoldsTheNodeKeyWithItsChain() throws Exception {
        TlsMaterial tls = NodeCertificates.ensure(dir, "node-1", SANS, CLOCK);
        KeyStore store = tls.keyStore();

        assertEquals("PKCS12", store.getType());
        assertEquals(scalar(tls.nodeKey()), scalar((PrivateKey) store.getKey(TlsMaterial.KEY_ALIAS, tls.keyStorePassword())));
        Certificate[] chain = store.getCertificateChain(TlsMaterial.KEY_ALIAS);
        assertEquals(List.of(tls.nodeCertificate(), tls.caCertificate()), List.of(chain));
        assertTrue(!tls.toString().contains(new String(tls.keyStorePassword())));
    }

    @Test
    void joiningNodeSignsItsOwnCertificateWithTheCopiedCa() throws Exception {
        Path first = Files.createDirectory(dir.resolve("first"));
        Path joining = Files.createDirectory(dir.resolve("joining"));
        TlsMaterial firstTls = NodeCertificates.ensure(first, "node-a", SANS, CLOCK);
        Files.copy(first.resolve("ca.key"), joining.resolve("ca.key"));
        Files.copy(first.resolve("ca.crt"), joining.resolve("ca.crt"));

        TlsMaterial joinedTls = NodeCertificates.ensure(joining, "node-b", List.of("10.1.2.4"), CLOCK);

        assertEquals(Set.of("ca.key", "ca.crt", "node-b.key", "node-b.crt"), fileNames(joining));
        assertEquals(firstTls.caCertificate(), joinedTls.caCertificate());
        joinedTls.nodeCertificate().verify(firstTls.caCertificate().getPublicKey());
        assertNotEquals(firstTls.nodeCertificate().getPublicKey(), joinedTls.nodeCertificate().getPublicKey());
        assertNotEquals(NodeIdentity.uidFromPublicKey(firstTls.nodeCertificate().getPublicKey()),
                NodeIdentity.uidFromPublicKey(joinedTls.nodeCertificate().getPublicKey()));
    }

    @Test
    void refusesHalfACa() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        NodeCertificates.ensure(other, "node-a", SANS, CLOCK);
        Path joining = Files.createDirectory(dir.resolve("joining"));
        Files.copy(other.resolve("ca.crt"), joining.resolve("ca.crt"));

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> NodeCertificates.ensure(joining, "node-b", SANS, CLOCK));
        assertTrue(error.getMessage().contains("ca.key"), error.getMessage());
    }

    @Test
    void refusesANodeCertificateFromAnotherCa() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        NodeCertificates.ensure(a, "node", SANS, CLOCK);
        NodeCertificates.ensure(b, "node", SANS, CLOCK);
        Files.copy(a.resolve("ca.key"), b.resolve("ca.key"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(a.resolve("ca.crt"), b.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);

        assertThrows(IllegalStateException.class, () -> NodeCertificates.ensure(b, "node", SANS, CLOCK));
    }

    @Test
    void newSanResignsWithTheSameKey() throws Exception {
        TlsMaterial before = NodeCertificates.ensure(dir, "node-1", SANS, CLOCK);

        TlsMaterial after = NodeCertificates.ensure(dir, "node-1", List.of("fish.example.org", "10.9.9.9"), CLOCK);

        assertNotEquals(before.nodeCertificate(), after.nodeCertificate());
        assertEquals(before.nodeCertificate().getPublicKey(), after.nodeCertificate().getPublicKey());
        assertTrue(sans(after.nodeCertificate()).contains(List.of(7, "10.9.9.9")));
        assertEquals(after.nodeCertificate(), NodeCertificates.ensure(dir, "node-1", List.of("10.9.9.9"), CLOCK)
                .nodeCertificate(), "a subset of the present SANs needs no new certificate");
    }

    @Test
    void nearlyExpiredCertificateIsResignedWithTheSameKey() throws Exception {
        TlsMaterial before = NodeCertificates.ensure(dir, "node-1", SANS, CLOCK);
        Instant nearExpiry = before.nodeCertificate().getNotAfter().toInstant().minus(Duration.ofDays(10));

        TlsMaterial after = NodeCertificates.ensure(dir, "node-1", SANS, Clock.fixed(nearExpiry, ZoneOffset.UTC));

        assertTrue(after.nodeCertificate().getNotAfter().after(before.nodeCertificate().getNotAfter()));
        assertEquals(before.nodeCertificate().getPublicKey(), after.nodeCertificate().getPublicKey());
        assertEquals(before.caCertificate(), after.caCertificate());
    }

    @Test
    void deletedNodeCertificateIsResignedForTheExistingKey() throws Exception {
        TlsMaterial before = NodeCertificates.ensure(dir, "node-1", SANS, CLOCK);
        Files.delete(dir.resolve("node-1.crt"));

        TlsMaterial after = NodeCertificates.ensure(dir, "node-1", SANS, CLOCK);

        assertEquals(before.nodeCertificate().getPublicKey(), after.nodeCertificate().getPublicKey());
        assertTrue(Files.exists(dir.resolve("node-1.crt")));
    }

    @Test
    void rejectsNodeNamesThatAreNotPlainFileNames() {
        for (String name : List.of("", "../x", "a/b", "..", "ca", "CA")) {
            assertThrows(IllegalArgumentException.class, () -> NodeCertificates.ensure(dir, name, SANS, CLOCK), name);
        }
    }

    @Test
    void loadsOperatorGivenFiles() throws Exception {
        TlsMaterial generated = NodeCertificates.ensure(dir, "node-1", SANS, CLOCK);

        TlsMaterial loaded = NodeCertificates.load(dir.resolve("ca.crt"), dir.resolve("node-1.key"), dir.resolve("node-1.crt"));

        assertEquals(generated.caCertificate(), loaded.caCertificate());
        assertEquals(generated.nodeCertificate(), loaded.nodeCertificate());
        assertEquals(scalar(generated.nodeKey()), scalar(loaded.nodeKey()));
        assertEquals(2, loaded.keyStore().getCertificateChain(TlsMaterial.KEY_ALIAS).length);
    }

    @Test
    void loadRejectsAKeyThatDoesNotMatchTheCertificate() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        NodeCertificates.ensure(a, "node-1", SANS, CLOCK);
        NodeCertificates.ensure(a, "node-2", SANS, CLOCK);

        assertThrows(IllegalStateException.class,
                () -> NodeCertificates.load(a.resolve("ca.crt"), a.resolve("node-2.key"), a.resolve("node-1.crt")));
    }

    @Test
    void loadRejectsACertificateFromAnotherCa() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        NodeCertificates.ensure(a, "node", SANS, CLOCK);
        NodeCertificates.ensure(b, "node", SANS, CLOCK);

        assertThrows(IllegalStateException.class,
                () -> NodeCertificates.load(a.resolve("ca.crt"), b.resolve("node.key"), b.resolve("node.crt")));
    }

    @Test
    void servesTlsToAClientTrustingTheCa() throws Exception {
        TlsMaterial tls = NodeCertificates.ensure(dir, "node-1", SANS, Clock.systemUTC());

        String reply = roundTrip(tls, NodeCertificates.clientContextTrusting(tls.caCertificate()));

        assertEquals("pong", reply);
    }

    @Test
    void clientTrustingAnotherCaRefusesTheServer() throws Exception {
        TlsMaterial tls = NodeCertificates.ensure(Files.createDirectory(dir.resolve("a")), "node-1", SANS, Clock.systemUTC());
        TlsMaterial stranger = NodeCertificates.ensure(Files.createDirectory(dir.resolve("b")), "node-1", SANS, Clock.systemUTC());

        assertThrows(SSLHandshakeException.class,
                () -> roundTrip(tls, NodeCertificates.clientContextTrusting(stranger.caCertificate())));
    }

    /** One exchange over real TLS on loopback, with HTTPS hostname checking against the IP SAN. */
    private static String roundTrip(TlsMaterial tls, SSLContext clientContext) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(tls.keyStore(), tls.keyStorePassword());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), null, null);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ExecutorService server = Executors.newSingleThreadExecutor();
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            listener.setSoTimeout(10_000);
            Future<String> served = server.submit(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(10_000);
                    byte[] request = socket.getInputStream().readNBytes(4);
                    socket.getOutputStream().write("pong".getBytes());
                    socket.getOutputStream().flush();
                    return new String(request);
                }
            });
            String reply;
            try (SSLSocket client = (SSLSocket) clientContext.getSocketFactory().createSocket()) {
                SSLParameters parameters = client.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(parameters);
                client.setSoTimeout(10_000);
                client.connect(new InetSocketAddress(loopback, listener.getLocalPort()), 10_000);
                client.getOutputStream().write("ping".getBytes());
                client.getOutputStream().flush();
                reply = new String(client.getInputStream().readNBytes(4));
                assertEquals(tls.nodeCertificate(), client.getSession().getPeerCertificates()[0]);
            }
            // Only after the client closed: a TLS 1.3 server close waits for the peer's close_notify.
            assertEquals("ping", served.get(10, TimeUnit.SECONDS));
            return reply;
        } finally {
            server.shutdownNow();
        }
    }
}
