package dev.tokenstarter.token.internal.dpop;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.dpop.DPoPAlgorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The proof JWT (RFC 9449 §4.2), parsed and its signature verified with the JDK against the public key its own
 * header carries; key loading and the key/algorithm checks.
 */
class DPoPProofsTest {

    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    @Test
    void aTokenRequestProofHasTheHeaderAndClaimsOfRfc9449AndAValidSignature() throws Exception {
        DPoPProofs proofs = new DPoPProofs(DPoPKey.generate(DPoPAlgorithm.ES256), clock);

        String proof = proofs.create("POST", URI.create("https://auth.example.com:443/oauth/token?x=1#frag"), null);

        JsonNode header = part(proof, 0);
        assertThat(header.path("typ").stringValue()).isEqualTo("dpop+jwt");
        assertThat(header.path("alg").stringValue()).isEqualTo("ES256");
        assertThat(header.path("jwk").path("kty").stringValue()).isEqualTo("EC");
        assertThat(header.path("jwk").path("crv").stringValue()).isEqualTo("P-256");
        assertThat(header.path("jwk").has("d")).as("private part").isFalse();
        JsonNode claims = part(proof, 1);
        assertThat(claims.path("htm").stringValue()).isEqualTo("POST");
        assertThat(claims.path("htu").stringValue()).isEqualTo("https://auth.example.com/oauth/token");
        assertThat(claims.path("iat").longValue()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(BASE64URL.decode(claims.path("jti").stringValue())).hasSize(16);
        assertThat(claims.has("ath")).isFalse();
        assertThat(claims.has("nonce")).isFalse();
        assertThat(verifies(proof)).isTrue();
    }

    @Test
    void anApiProofCarriesTheTokenHashAndTheNonceOfItsOrigin() throws Exception {
        DPoPProofs proofs = new DPoPProofs(DPoPKey.generate(DPoPAlgorithm.ES256), clock);
        proofs.remember(URI.create("http://localhost:8080/anything"), "nonce-1");
        proofs.remember(URI.create("http://localhost:9090/"), "other-origin");

        String proof = proofs.create("GET", URI.create("http://localhost:8080/orders?page=2"), "token-abc");

        JsonNode claims = part(proof, 1);
        assertThat(claims.path("htm").stringValue()).isEqualTo("GET");
        assertThat(claims.path("htu").stringValue()).isEqualTo("http://localhost:8080/orders");
        assertThat(claims.path("ath").stringValue()).isEqualTo(Base64.getUrlEncoder().withoutPadding()
            .encodeToString(MessageDigest.getInstance("SHA-256").digest("token-abc".getBytes(StandardCharsets.US_ASCII))));
        assertThat(claims.path("nonce").stringValue()).isEqualTo("nonce-1");
        assertThat(verifies(proof)).isTrue();

        proofs.remember(URI.create("http://localhost:8080/orders"), "nonce-2");
        assertThat(part(proofs.create("GET", URI.create("http://localhost:8080/orders"), "token-abc"), 1).path("nonce")
            .stringValue()).as("the newest nonce").isEqualTo("nonce-2");
        proofs.remember(URI.create("http://localhost:8080/orders"), "bad\"nonce");
        assertThat(proofs.nonce(URI.create("http://localhost:8080/"))).as("not a nonce: ignored").isEqualTo("nonce-2");
    }

    @Test
    void everyProofHasItsOwnJti() {
        DPoPProofs proofs = new DPoPProofs(DPoPKey.generate(DPoPAlgorithm.ES256), clock);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(part(proofs.create("GET", URI.create("https://api.example.com/"), "t"), 1).path("jti").stringValue());
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void es384AndRs256ProofsVerifyToo() throws Exception {
        for (DPoPAlgorithm algorithm : List.of(DPoPAlgorithm.ES384, DPoPAlgorithm.RS256)) {
            String proof = new DPoPProofs(DPoPKey.generate(algorithm), clock).create("GET",
                    URI.create("https://api.example.com/x"), "t");
            assertThat(part(proof, 0).path("alg").stringValue()).isEqualTo(algorithm.jwsName());
            assertThat(verifies(proof)).as(algorithm.name()).isTrue();
        }
    }

    @Test
    void theReactiveProofSignsOnTheWorkerPoolNotOnTheSubscribingThread() {
        Set<String> signingThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Clock recording = new ThreadRecordingClock(clock, signingThreads);
        DPoPProofs proofs = new DPoPProofs(DPoPKey.generate(DPoPAlgorithm.ES256), recording);

        // subscribed on a thread Reactor marks non-blocking, as an event loop is
        String proof = proofs.proof("GET", URI.create("https://api.example.com/"), "t")
            .subscribeOn(Schedulers.parallel())
            .block();

        assertThat(proof).isNotNull();
        assertThat(signingThreads).singleElement().satisfies((thread) -> {
            assertThat(thread).startsWith("boundedElastic-");
            assertThat(thread).endsWith("|false");
        });
    }

    @Test
    void aPemKeyIsLoadedWithItsPublicHalfDerived(@TempDir Path dir) throws Exception {
        for (DPoPAlgorithm algorithm : List.of(DPoPAlgorithm.ES256, DPoPAlgorithm.ES384, DPoPAlgorithm.RS256)) {
            KeyPair pair = keyPair(algorithm);
            Path pem = dir.resolve(algorithm + ".pem");
            Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");

            DPoPKey loaded = DPoPKey.load("file:" + pem, algorithm);

            assertThat(loaded.thumbprint()).isEqualTo(DPoPKey.of(pair, algorithm).thumbprint());
            assertThat(loaded.toString()).contains(loaded.thumbprint()).doesNotContain("BEGIN")
                .doesNotContain(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()).substring(0, 20));
            assertThat(verifies(new DPoPProofs(loaded, clock).create("GET", URI.create("https://a.example/"), null)))
                .isTrue();
        }
    }

    @Test
    void aKeyThatDoesNotFitTheAlgorithmIsRefused(@TempDir Path dir) throws Exception {
        assertThatExceptionOfType(InvalidDPoPKeyException.class)
            .isThrownBy(() -> DPoPKey.of(keyPair(DPoPAlgorithm.RS256), DPoPAlgorithm.ES256))
            .withMessageContaining("RSA key").withMessageContaining("ES256 needs an EC key");
        assertThatExceptionOfType(InvalidDPoPKeyException.class)
            .isThrownBy(() -> DPoPKey.of(keyPair(DPoPAlgorithm.ES384), DPoPAlgorithm.ES256))
            .withMessageContaining("384-bit curve").withMessageContaining("P-256");
        assertThatExceptionOfType(InvalidDPoPKeyException.class)
            .isThrownBy(() -> DPoPKey.load("file:" + dir.resolve("missing.pem"), DPoPAlgorithm.ES256))
            .withMessageContaining("cannot read").withMessageContaining("missing.pem");
        Path notAKey = Files.writeString(dir.resolve("empty.pem"), "no pem here");
        assertThatExceptionOfType(InvalidDPoPKeyException.class)
            .isThrownBy(() -> DPoPKey.load("file:" + notAKey, DPoPAlgorithm.ES256))
            .withMessageContaining("no PEM private key");
    }

    @Test
    void nonceChallengesAreRecognised() {
        assertThat(DPoPProofs.isNonceChallenge(List.of("DPoP error=\"use_dpop_nonce\", error_description=\"x\"")))
            .isTrue();
        assertThat(DPoPProofs.isNonceChallenge(List.of("Bearer realm=\"x\"", "dpop algs=\"ES256\", error=\"use_dpop_nonce\"")))
            .isTrue();
        assertThat(DPoPProofs.isNonceChallenge(List.of("DPoP error=\"invalid_token\""))).isFalse();
        assertThat(DPoPProofs.isNonceChallenge(null)).isFalse();
    }

    /** Records the thread (and whether Reactor calls it non-blocking) of every proof's {@code iat} read. */
    static final class ThreadRecordingClock extends Clock {

        private final Clock delegate;

        private final Set<String> threads;

        ThreadRecordingClock(Clock delegate, Set<String> threads) {
            this.delegate = delegate;
            this.threads = threads;
        }

        @Override
        public long millis() {
            threads.add(Thread.currentThread().getName() + "|" + Schedulers.isInNonBlockingThread());
            return delegate.millis();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return delegate.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    static KeyPair keyPair(DPoPAlgorithm algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.keyType());
        if (algorithm == DPoPAlgorithm.RS256) {
            generator.initialize(2048);
        }
        else {
            generator.initialize(new ECGenParameterSpec(algorithm == DPoPAlgorithm.ES256 ? "secp256r1" : "secp384r1"));
        }
        return generator.generateKeyPair();
    }

    static JsonNode part(String jwt, int index) {
        return JsonMapper.shared().readTree(new String(BASE64URL.decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8));
    }

    /** Verifies the signature with the key in the proof's own {@code jwk} header, as a server does. */
    static boolean verifies(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode header = part(jwt, 0);
        JsonNode jwk = header.path("jwk");
        PublicKey key;
        String algorithm;
        if ("EC".equals(jwk.path("kty").stringValue())) {
            String curve = "P-256".equals(jwk.path("crv").stringValue()) ? "secp256r1" : "secp384r1";
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            ECPoint point = new ECPoint(unsigned(jwk.path("x").stringValue()), unsigned(jwk.path("y").stringValue()));
            key = KeyFactory.getInstance("EC").generatePublic(
                    new ECPublicKeySpec(point, ((ECPublicKey) generator.generateKeyPair().getPublic()).getParams()));
            algorithm = "ES256".equals(header.path("alg").stringValue()) ? "SHA256withECDSAinP1363Format"
                    : "SHA384withECDSAinP1363Format";
        }
        else {
            key = KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(unsigned(jwk.path("n").stringValue()), unsigned(jwk.path("e").stringValue())));
            algorithm = "SHA256withRSA";
        }
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(key);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return verifier.verify(BASE64URL.decode(parts[2]));
    }

    private static BigInteger unsigned(String base64url) {
        return new BigInteger(1, BASE64URL.decode(base64url));
    }
}
