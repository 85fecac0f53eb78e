package dev.tokenstarter.benchmarks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.benchmarks.support.StarterClients;
import dev.tokenstarter.token.dpop.DPoPAlgorithm;
import dev.tokenstarter.token.internal.dpop.DPoPKey;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;

/**
 * What a DPoP proof costs: the JDK's bare ES256 signature on the same key (over an input as long as a proof's
 * signing input), the starter's whole proof for an API call and for a token request, and the filter and
 * interceptor with a DPoP-bound token beside the same with a Bearer token (stub exchanges, as in
 * {@link FilterBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch" })
public class DPoPBenchmark {

    private static final URI ORDERS = URI.create(StarterClients.API + "/orders");

    private static final URI TOKEN_URI = URI.create("https://auth.example.com/oauth2/token");

    private Signature signature;

    private byte[] signingInput;

    private DPoPProofs proofs;

    private WebClient webClientBearer;

    private WebClient webClientDPoP;

    private RestClient restClientBearer;

    private RestClient restClientDPoP;

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        signature = Signature.getInstance("SHA256withECDSAinP1363Format");
        signature.initSign(pair.getPrivate());
        proofs = new DPoPProofs(DPoPKey.of(pair, DPoPAlgorithm.ES256), Clock.systemUTC());
        proofs.remember(ORDERS, "server-nonce-0123456789");
        String proof = proofs.create("GET", ORDERS, StarterClients.TOKEN_VALUE);
        signingInput = proof.substring(0, proof.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);

        ExchangeFunction stub = (request) -> Mono.just(ClientResponse.create(HttpStatus.OK).build());
        StarterClients bearer = new StarterClients(Clock.systemUTC());
        StarterClients dpop = new StarterClients(Clock.systemUTC(), proofs);
        webClientBearer = WebClient.builder().exchangeFunction(stub).filter(bearer.exchangeFilter()).build();
        webClientDPoP = WebClient.builder().exchangeFunction(stub).filter(dpop.exchangeFilter()).build();
        ClientHttpRequestFactory stubFactory = (uri, method) -> {
            MockClientHttpRequest request = new MockClientHttpRequest(method, uri);
            request.setResponse(new MockClientHttpResponse(new byte[0], HttpStatus.OK));
            return request;
        };
        restClientBearer = RestClient.builder().requestFactory(stubFactory).requestInterceptor(bearer.interceptor())
            .build();
        restClientDPoP = RestClient.builder().requestFactory(stubFactory).requestInterceptor(dpop.interceptor()).build();
    }

    /** The floor: one ES256 signature by the JDK, P1363 form, on a reused {@link Signature}. */
    @Benchmark
    public byte[] jdkSignatureOnly() throws Exception {
        signature.update(signingInput);
        return signature.sign();
    }

    /** A whole proof for an API call: claims with {@code ath} and {@code nonce}, encoding, signature. */
    @Benchmark
    public String proofForApiCall() {
        return proofs.create("GET", ORDERS, StarterClients.TOKEN_VALUE);
    }

    /** A whole proof for a token request (no {@code ath}, no nonce for that origin). */
    @Benchmark
    public String proofForTokenRequest() {
        return proofs.create("POST", TOKEN_URI, null);
    }

    @Benchmark
    public HttpStatusCode webClientFilterBearer() {
        return webClientBearer.get().uri(ORDERS).exchangeToMono((response) -> Mono.just(response.statusCode())).block();
    }

    /** Subscribed by the blocked caller, which may block: the proof is signed right there. */
    @Benchmark
    public HttpStatusCode webClientFilterDPoP() {
        return webClientDPoP.get().uri(ORDERS).exchangeToMono((response) -> Mono.just(response.statusCode())).block();
    }

    /**
     * Subscribed on a non-blocking thread, as in a WebFlux handler: the proof is signed on the bounded worker
     * pool. Three thread switches: caller to the parallel thread, to the worker, back to the blocked caller.
     */
    @Benchmark
    public HttpStatusCode webClientFilterDPoPFromNonBlockingThread() {
        return Mono.defer(() -> webClientDPoP.get().uri(ORDERS)
            .exchangeToMono((response) -> Mono.just(response.statusCode())))
            .subscribeOn(Schedulers.parallel())
            .block();
    }

    /** The hand-off alone, with the bare signature: the same three thread switches, no filter, no proof. */
    @Benchmark
    public byte[] jdkSignatureHandedOffFromNonBlockingThread() {
        return Mono.fromCallable(this::jdkSignatureOnly)
            .subscribeOn(Schedulers.boundedElastic())
            .subscribeOn(Schedulers.parallel())
            .block();
    }

    @Benchmark
    public HttpStatusCode restClientInterceptorBearer() {
        return restClientBearer.get().uri(ORDERS).retrieve().toBodilessEntity().getStatusCode();
    }

    @Benchmark
    public HttpStatusCode restClientInterceptorDPoP() {
        return restClientDPoP.get().uri(ORDERS).retrieve().toBodilessEntity().getStatusCode();
    }
}
