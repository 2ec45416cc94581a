package org.medmamba.serve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** HTTPS from a PKCS#12 keystore made here with keytool (self-signed, for 127.0.0.1); no plain HTTP beside it. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void servesHttpsFromAPkcs12KeystoreAndNothingInPlain() throws Exception {
        Path ks = dir.resolve("server.p12");
        String password = "changeit-" + System.nanoTime();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "serve", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", password, "-keypass", password).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        Path model = ServeFixtures.bundle(dir, "m", 5);
        ServeSettings d = ServeFixtures.settings(Map.of("m", model));
        ServeSettings s = new ServeSettings(d.models(), d.host(), 0, d.maxBatch(), d.maxWaitMs(), d.queue(), d.maxBodyBytes(),
                null, ks, password, null, d.drain());
        try (InferenceServer srv = InferenceServer.start(s)) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(ks)) {
                trust.load(in, password.toCharArray());
            }
            KeyStore only = KeyStore.getInstance("PKCS12");
            only.load(null, null);
            only.setCertificateEntry("serve", trust.getCertificate("serve"));   // the client trusts just this certificate
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(only);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ctx).build();
            URI base = URI.create("https://127.0.0.1:" + srv.port());
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(base.resolve("/v1/models/m/predict"))
                    .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofFile(ServeFixtures.PNG)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"label\""), r.body());
            // a client that does not trust the certificate is refused the handshake
            assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(base.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString()));
            // plain HTTP on the same port gets no answer from the service
            String status;
            try {
                status = ServeFixtures.rawStatus(srv, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 5000);
            } catch (java.io.IOException e) {
                status = "closed";
            }
            assertFalse(status.startsWith("HTTP/1.1 200"), status);
            assertEquals(1, srv.connectors(), "only the TLS connector listens");
        }
    }
}
