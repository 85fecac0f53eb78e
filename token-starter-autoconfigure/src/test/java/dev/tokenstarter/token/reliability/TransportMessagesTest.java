package dev.tokenstarter.token.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.support.MisbehavingServer;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TestKeys;
import dev.tokenstarter.token.support.TokenEndpointConfigs;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Issue 22: transport failures name their cause in words (a refused connection said
 * {@code AnnotatedConnectException}; https to a plain-http endpoint said "no complete answer within the
 * timeout"). Each case against a real socket on loopback (the unknown host against this machine's resolver).
 */
class TransportMessagesTest {

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    @Test
    void aRefusedConnectionSaysNothingListens() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        TokenFetchException failure = fetch(URI.create("http://127.0.0.1:" + port + "/token"), Duration.ofSeconds(2),
                Duration.ofSeconds(2));
        assertThat(failure.kind()).isEqualTo(FailureKind.CONNECTION_ERROR);
        assertThat(failure.getMessage()).contains("connection refused by 127.0.0.1:" + port, "nothing listens there")
            .doesNotContain("AnnotatedConnectException");
    }

    @Test
    void anUnknownHostSaysTheNameDoesNotResolve() {
        TokenFetchException failure = fetch(URI.create("http://no-such-host.invalid/token"), Duration.ofSeconds(3),
                Duration.ofSeconds(3));
        assertThat(failure.kind()).isEqualTo(FailureKind.CONNECTION_ERROR);
        assertThat(failure.getMessage()).contains("unknown host 'no-such-host.invalid'", "does not resolve");
    }

    @Test
    void httpsToAServerAnsweringPlainHttpSaysSo() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                try (Socket connection = server.accept(); OutputStream out = connection.getOutputStream()) {
                    out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(500);
                }
                catch (IOException | InterruptedException ex) {
                    // the client is gone
                }
            });
            answering.start();
            TokenFetchException failure = fetch(URI.create("https://127.0.0.1:" + server.getLocalPort() + "/token"),
                    Duration.ofSeconds(2), Duration.ofSeconds(2));
            assertThat(failure.getMessage()).contains("answered in plain text, not TLS", "plain http");
        }
    }

    @Test
    void httpsToASilentPlainHttpEndpointNamesPlainHttp() {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.start()) {
            URI https = URI.create(endpoint.uri().toString().replace("http://", "https://"));
            TokenFetchException failure = fetch(https, Duration.ofMillis(500), Duration.ofMillis(700));
            assertThat(failure.getMessage()).contains("plain http");
        }
    }

    @Test
    void anUntrustedServerCertificateSaysItIsNotTrusted(@TempDir Path dir) throws Exception {
        Path store = TestKeys.writePkcs12(TestKeys.rsa(2048), "localhost", "changeit", dir.resolve("server.p12"));
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/token", (exchange) -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        try {
            TokenFetchException failure = fetch(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/token"),
                    Duration.ofSeconds(2), Duration.ofSeconds(2));
            assertThat(failure.getMessage()).contains("is not trusted", "request.ssl.bundle");
        }
        finally {
            server.stop(0);
        }
    }

    @Test
    void aHostThatDropsConnectionsSaysConnectTimeout() throws IOException {
        // a listening socket that never accepts, its backlog filled: the kernel drops further connection attempts
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket filler = new Socket();
                    try {
                        filler.connect(full.getLocalSocketAddress(), 200);
                        fillers.add(filler);
                    }
                    catch (IOException ex) {
                        filler.close();
                        break; // the backlog is full
                    }
                }
                TokenFetchException failure = fetch(URI.create("http://127.0.0.1:" + full.getLocalPort() + "/token"),
                        Duration.ofMillis(500), Duration.ofSeconds(2));
                assertThat(failure.kind()).isEqualTo(FailureKind.TIMEOUT);
                assertThat(failure.getMessage()).contains("no connection to 127.0.0.1:" + full.getLocalPort(),
                        "connect timeout (500 ms)");
            }
            finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void aServerThatNeverAnswersSaysReadTimeout() throws IOException {
        try (MisbehavingServer server = new MisbehavingServer(MisbehavingServer.Mode.HANG)) {
            TokenFetchException failure = fetch(server.uri(), Duration.ofMillis(500), Duration.ofMillis(700));
            assertThat(failure.kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(failure.getMessage()).contains("within the read timeout (700 ms)");
        }
    }

    private TokenFetchException fetch(URI tokenUri, Duration connect, Duration read) {
        TokenEndpointConfig config = TokenEndpointConfigs.builder(tokenUri).clientId("c").clientSecret("transport-secret-1234")
            .connectTimeout(connect).readTimeout(read).build();
        TokenEndpointClient client = new TokenEndpointClient(config, clock, TokenFetchObserver.NONE);
        Throwable failure = assertTimeoutPreemptively(connect.plus(read).plusSeconds(5),
                () -> catchThrowable(() -> client.fetch(null).block()));
        System.out.println(tokenUri + " -> " + failure);
        assertThat(failure).isInstanceOf(TokenFetchException.class);
        assertThat(failure.getMessage()).doesNotContain("transport-secret-1234");
        return (TokenFetchException) failure;
    }
}
