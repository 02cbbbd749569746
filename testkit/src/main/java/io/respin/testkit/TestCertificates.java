package io.respin.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority, a server certificate (SAN {@code IP:127.0.0.1, DNS:localhost}) and a
 * client certificate, generated at test time with the {@code openssl} CLI into one directory, plus the Java
 * side of the same trust: PKCS12 trust and key stores and a ready {@link SSLContext}.
 *
 * <p>Keys are EC P-256: generating them takes milliseconds, and both OpenSSL (redis-server) and the JDK speak
 * them. Files in {@link #dir()}:
 * <pre>
 *   ca.crt  ca.key            the CA (trusted by both sides)
 *   server.crt server.key     redis-server's identity
 *   client.crt client.key     a client identity, for tls-auth-clients yes
 *   truststore.p12            the CA, password {@value #STORE_PASSWORD}
 *   client.p12                client key + chain, password {@value #STORE_PASSWORD}
 * </pre>
 *
 * <p>Generating takes a handful of {@code openssl} runs (a second or more on a busy machine), so
 * {@link RedisServer} servers get {@link #copyOfShared copies} of one set generated per JVM: every TLS test
 * server trusts the same CA, and one {@link #sslContext()} fits them all. Call {@link #generate} for a CA of
 * your own (e.g. to test that a client rejects a server signed by another CA).
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.generate(Files.createTempDirectory("tls"));
 * SSLSocket s = (SSLSocket) certs.sslContext().getSocketFactory().createSocket("127.0.0.1", port);
 * }</pre>
 */
public final class TestCertificates {

    /** Password of the PKCS12 stores written next to the PEM files. */
    public static final String STORE_PASSWORD = "respin";

    private static final List<String> FILES = List.of("ca.crt", "ca.key", "server.crt", "server.key",
            "client.crt", "client.key", "truststore.p12", "client.p12");
    private static TestCertificates shared;

    private final Path dir;
    /** The set these files were copied from, whose context is reused; {@code null} for a generated set. */
    private final TestCertificates origin;
    private volatile SSLContext context;

    private TestCertificates(Path dir, TestCertificates origin) {
        this.dir = dir;
        this.origin = origin;
    }

    /**
     * Copies this JVM's shared set (generated on first use, deleted at exit) into {@code dir}, which must exist.
     */
    public static TestCertificates copyOfShared(Path dir) {
        TestCertificates template = shared();
        try {
            for (String f : FILES) {
                Files.copy(template.dir.resolve(f), dir.resolve(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy test certificates into " + dir, e);
        }
        return new TestCertificates(dir, template);
    }

    private static synchronized TestCertificates shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("respin-tls-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    for (String f : Files.exists(dir) ? dir.toFile().list() : new String[0]) {
                        dir.resolve(f).toFile().delete();
                    }
                    dir.toFile().delete();
                }, "respin-tls-cleanup"));
                shared = generate(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("could not create a temp dir for test certificates", e);
            }
        }
        return shared;
    }

    /** Generates a fresh CA, server and client certificate into {@code dir} (which must exist). */
    public static TestCertificates generate(Path dir) {
        TestCertificates certs = new TestCertificates(dir, null);
        try {
            certs.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=respin-test-ca",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            certs.issue("server", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                    + "extendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n");
            certs.issue("client", "respin-test-client", "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
            certs.writeStores();
            return certs;
        } catch (IOException e) {
            throw new UncheckedIOException("could not generate test certificates in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not load the generated test certificates from " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The CA certificate (PEM) that signed the server and client certificates. */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    public Path serverCertificate() {
        return dir.resolve("server.crt");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    public Path clientCertificate() {
        return dir.resolve("client.crt");
    }

    public Path clientKey() {
        return dir.resolve("client.key");
    }

    /** PKCS12 store holding the CA as a trusted entry; password {@link #STORE_PASSWORD}. */
    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /** PKCS12 store holding the client key and its chain; password {@link #STORE_PASSWORD}. */
    public Path clientKeyStore() {
        return dir.resolve("client.p12");
    }

    /**
     * A TLSv1.3/1.2 context that trusts the generated CA and presents the client certificate when the server
     * asks for one (so it works with {@code tls-auth-clients yes} and {@code no}).
     */
    public SSLContext sslContext() {
        if (origin != null) {
            return origin.sslContext();
        }
        SSLContext ctx = context;
        if (ctx == null) {
            ctx = newSslContext();
            context = ctx;
        }
        return ctx;
    }

    private SSLContext newSslContext() {
        try {
            char[] pw = STORE_PASSWORD.toCharArray();
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore(), pw));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(clientKeyStore(), pw), pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not build an SSLContext from " + dir, e);
        }
    }

    private static KeyStore load(Path file, char[] pw) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            ks.load(in, pw);
        }
        return ks;
    }

    private void issue(String name, String commonName, String extensions) throws IOException {
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-set_serial", Long.toString(System.nanoTime() & Long.MAX_VALUE),
                "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    private void writeStores() throws IOException, GeneralSecurityException {
        char[] pw = STORE_PASSWORD.toCharArray();
        X509Certificate ca = certificate(caCertificate());

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, pw);
        trust.setCertificateEntry("respin-test-ca", ca);
        store(trust, trustStore(), pw);

        KeyStore client = KeyStore.getInstance("PKCS12");
        client.load(null, pw);
        client.setKeyEntry("respin-test-client", privateKey(clientKey()), pw,
                new Certificate[] {certificate(clientCertificate()), ca});
        store(client, clientKeyStore(), pw);
    }

    private static void store(KeyStore ks, Path file, char[] pw) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, pw);
        }
    }

    private static X509Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(pem);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(bytes));
    }

    /** Reads an unencrypted PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}, what OpenSSL 3 writes). */
    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException(pem + " is not a PKCS#8 PEM key (needs OpenSSL 3 or newer)");
        }
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private void openssl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        String exe = ServerProcess.findOnPath("openssl", System.getenv("PATH"));
        if (exe == null) {
            throw new IllegalStateException(
                    "openssl is not on PATH; TLS test servers need it: apt-get update && apt-get install -y openssl");
        }
        cmd.add(exe);
        cmd.addAll(List.of(args));
        Path out = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + Files.readString(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running openssl", e);
        }
    }
}
