package dev.tokenstarter.benchmarks;

import java.net.URI;
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

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.benchmarks.support.SpringSecurityClients;
import dev.tokenstarter.benchmarks.support.StarterClients;

/**
 * The cost a token filter adds to one WebClient or RestClient exchange, with a stub exchange function /
 * request factory so no network is involved: no filter, a filter adding a static header, token-starter's,
 * and Spring Security's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch" })
public class FilterBenchmark {

    private static final URI ORDERS = URI.create(StarterClients.API + "/orders");

    private WebClient webClientBare;

    private WebClient webClientStaticHeader;

    private WebClient webClientStarter;

    private WebClient webClientSpringSecurity;

    private RestClient restClientBare;

    private RestClient restClientNoopInterceptor;

    private RestClient restClientStaticHeader;

    private RestClient restClientStarter;

    private RestClient restClientSpringSecurity;

    @Setup
    public void setUp() {
        StarterClients starter = new StarterClients(Clock.systemUTC());
        SpringSecurityClients spring = SpringSecurityClients.withCachedToken();

        ExchangeFunction stub = (request) -> Mono.just(ClientResponse.create(HttpStatus.OK).build());
        webClientBare = WebClient.builder().exchangeFunction(stub).build();
        webClientStaticHeader = WebClient.builder().exchangeFunction(stub)
            .filter((request, next) -> next.exchange(ClientRequest.from(request)
                .header(HttpHeaders.AUTHORIZATION, "Bearer static-token").build()))
            .build();
        webClientStarter = WebClient.builder().exchangeFunction(stub).filter(starter.exchangeFilter()).build();
        webClientSpringSecurity = WebClient.builder().exchangeFunction(stub).filter(spring.exchangeFilter()).build();

        ClientHttpRequestFactory stubFactory = (uri, method) -> {
            MockClientHttpRequest request = new MockClientHttpRequest(method, uri);
            request.setResponse(new MockClientHttpResponse(new byte[0], HttpStatus.OK));
            return request;
        };
        restClientBare = RestClient.builder().requestFactory(stubFactory).build();
        restClientNoopInterceptor = RestClient.builder().requestFactory(stubFactory)
            .requestInterceptor((request, body, execution) -> execution.execute(request, body)).build();
        restClientStaticHeader = RestClient.builder().requestFactory(stubFactory)
            .requestInterceptor((request, body, execution) -> {
                request.getHeaders().set(HttpHeaders.AUTHORIZATION, "Bearer static-token");
                return execution.execute(request, body);
            }).build();
        restClientStarter = RestClient.builder().requestFactory(stubFactory).requestInterceptor(starter.interceptor())
            .build();
        restClientSpringSecurity = RestClient.builder().requestFactory(stubFactory)
            .requestInterceptor(spring.interceptor()).build();
    }

    private static HttpStatusCode exchange(WebClient client) {
        return client.get().uri(ORDERS).exchangeToMono((response) -> Mono.just(response.statusCode())).block();
    }

    private static HttpStatusCode exchange(RestClient client) {
        return client.get().uri(ORDERS).retrieve().toBodilessEntity().getStatusCode();
    }

    @Benchmark
    public HttpStatusCode webClientBare() {
        return exchange(webClientBare);
    }

    @Benchmark
    public HttpStatusCode webClientStaticHeaderFilter() {
        return exchange(webClientStaticHeader);
    }

    @Benchmark
    public HttpStatusCode webClientStarterFilter() {
        return exchange(webClientStarter);
    }

    @Benchmark
    public HttpStatusCode webClientSpringSecurityFilter() {
        return exchange(webClientSpringSecurity);
    }

    @Benchmark
    public HttpStatusCode restClientBare() {
        return exchange(restClientBare);
    }

    @Benchmark
    public HttpStatusCode restClientNoopInterceptor() {
        return exchange(restClientNoopInterceptor);
    }

    @Benchmark
    public HttpStatusCode restClientStaticHeaderInterceptor() {
        return exchange(restClientStaticHeader);
    }

    @Benchmark
    public HttpStatusCode restClientStarterInterceptor() {
        return exchange(restClientStarter);
    }

    @Benchmark
    public HttpStatusCode restClientSpringSecurityInterceptor() {
        return exchange(restClientSpringSecurity);
    }
}
