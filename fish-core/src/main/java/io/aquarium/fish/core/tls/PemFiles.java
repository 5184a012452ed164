package io.aquarium.fish.core.tls;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads and writes PEM key and certificate files with BouncyCastle's PEM codec and the JDK's own
 * crypto providers. Error messages name the file, never its content.
 */
final class PemFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PemFiles() {
    }

    /** A private key, with its public half when the file carries it (SEC1 and most PKCS#8 EC keys do). */
    record LoadedKey(PrivateKey privateKey, PublicKey publicKey) {
    }

    static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read certificate file " + file, e);
        } catch (CertificateException e) {
            throw new IllegalStateException("Invalid certificate in " + file, e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalStateException("No PEM certificate found in " + file);
        }
        return certificates;
    }

    static X509Certificate readCertificate(Path file) {
        return readCertificates(file).get(0);
    }

    static LoadedKey readKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    PrivateKey privateKey = converter.getPrivateKey(pair.getPrivateKeyInfo());
                    PublicKey publicKey = pair.getPublicKeyInfo() == null
                            ? null : converter.getPublicKey(pair.getPublicKeyInfo());
                    return new LoadedKey(privateKey, publicKey);
                }
                if (item instanceof PrivateKeyInfo info) {
                    return new LoadedKey(converter.getPrivateKey(info), embeddedEcPublicKey(info, converter));
                }
                if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalStateException("Encrypted private keys are not supported: " + file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read private key file " + file, e);
        }
        throw new IllegalStateException("No PEM private key found in " + file);
    }

    private static PublicKey embeddedEcPublicKey(PrivateKeyInfo info, JcaPEMKeyConverter converter)
            throws IOException {
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
            return null;
        }
        ASN1BitString point = ECPrivateKey.getInstance(info.parsePrivateKey()).getPublicKey();
        return point == null ? null
                : converter.getPublicKey(new SubjectPublicKeyInfo(info.getPrivateKeyAlgorithm(), point));
    }

    /**
     * Writes an EC key pair as SEC1 "EC PRIVATE KEY" with the curve and public point included (what
     * OpenSSL and Go write), so the public key, and with it the node UID, can be recovered from the
     * key file alone. Owner-only permissions from the moment the file exists.
     */
    static void writeEcKey(Path file, KeyPair keyPair) {
        SubjectPublicKeyInfo publicInfo = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
        java.security.interfaces.ECPrivateKey privateKey = (java.security.interfaces.ECPrivateKey) keyPair.getPrivate();
        int orderBits = privateKey.getParams().getOrder().bitLength();
        ECPrivateKey sec1 = new ECPrivateKey(orderBits, privateKey.getS(), publicInfo.getPublicKeyData(),
                publicInfo.getAlgorithm().getParameters());
        try {
            write(file, new PemObject("EC PRIVATE KEY", sec1.getEncoded()), true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write private key file " + file, e);
        }
    }

    static void writeCertificate(Path file, X509Certificate certificate) {
        try {
            write(file, new JcaMiscPEMGenerator(certificate), false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write certificate file " + file, e);
        }
    }

    /** Write to a sibling temp file and rename, so a crash never leaves a half-written PEM file. */
    private static void write(Path file, PemObjectGenerator pemObject, boolean secret) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pemObject);
        }
        Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            if (secret && POSIX) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(temp);
            }
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII)) {
                out.write(text.toString());
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
