package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsServerTest {

    @Test
    void answersPingOverTlsWithTheGeneratedTrustAndHostnameCheck() throws Exception {
        try (RedisServer server = RedisServer.builder().tls().start()) {
            assertEquals("rediss://127.0.0.1:" + server.tlsPort(), server.tlsUri());
            assertEquals("+PONG", pingOverTls(server.sslContext(), server.tlsPort()));
        }
    }

    @Test
    void trustStoreFileAloneIsEnoughForAClient() throws Exception {
        try (RedisServer server = RedisServer.builder().tls().start()) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(server.trustStore())) {
                trust.load(in, TestCertificates.STORE_PASSWORD.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            assertEquals("+PONG", pingOverTls(ctx, server.tlsPort()));
            assertTrue(Files.readString(server.caCertificate()).contains("BEGIN CERTIFICATE"));
        }
    }

    @Test
    void clientWithoutTheTrustIsRejected(@TempDir Path elsewhere) throws Exception {
        try (RedisServer server = RedisServer.builder().tls().start()) {
            assertThrows(IOException.class, () -> pingOverTls(SSLContext.getDefault(), server.tlsPort()));
            SSLContext foreignCa = TestCertificates.generate(elsewhere).sslContext();
            assertThrows(IOException.class, () -> pingOverTls(foreignCa, server.tlsPort()));
        }
    }

    @Test
    void serversShareOneGeneratedCaButEachHasItsOwnFiles() throws Exception {
        try (RedisServer a = RedisServer.builder().tls().start();
             RedisServer b = RedisServer.builder().tls().start()) {
            assertTrue(a.caCertificate().startsWith(a.dir()), a.caCertificate().toString());
            assertEquals(Files.readString(a.caCertificate()), Files.readString(b.caCertificate()));
            assertEquals("+PONG", pingOverTls(a.sslContext(), b.tlsPort()));
        }
    }

    @Test
    void mutualTlsDemandsTheClientCertificate() throws Exception {
        try (RedisServer server = RedisServer.builder().tls(true).start()) {
            assertEquals("+PONG", pingOverTls(server.sslContext(), server.tlsPort()));

            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(server.trustStore())) {
                trust.load(in, TestCertificates.STORE_PASSWORD.toCharArray());
            }
            tmf.init(trust);
            SSLContext trustOnly = SSLContext.getInstance("TLS");
            trustOnly.init(null, tmf.getTrustManagers(), null);
            assertThrows(IOException.class, () -> pingOverTls(trustOnly, server.tlsPort()));
        }
    }

    /** PING over an SSLSocket that verifies the certificate's SAN against 127.0.0.1, as a client should. */
    static String pingOverTls(SSLContext ctx, int port) throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            SSLParameters params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(params);
            s.startHandshake();
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return ServerProcess.readLine(s.getInputStream());
        }
    }
}
