package dev.tokenstarter.token.internal.shared;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveScriptingCommands;

import static dev.tokenstarter.token.internal.shared.Proxies.invoke;
import static dev.tokenstarter.token.internal.shared.Proxies.proxy;

/**
 * A connection factory whose first Lua script (an instance's first lease or claim) waits until the test
 * opens the gate, while every other command goes through: it stops an instance between reading the entry
 * and taking the lease, so a test can let another instance act in exactly that gap.
 */
final class GatedScripts {

    private final CompletableFuture<Void> gate = new CompletableFuture<>();

    private final AtomicBoolean gated = new AtomicBoolean();

    private final CompletableFuture<Void> reached = new CompletableFuture<>();

    /** {@code delegate}, its first script held back until {@link #open()}. */
    ReactiveRedisConnectionFactory wrap(ReactiveRedisConnectionFactory delegate) {
        return proxy(ReactiveRedisConnectionFactory.class, delegate, (target, method, args) -> {
            Object result = invoke(method, target, args);
            return (method.getName().equals("getReactiveConnection")) ? connection((ReactiveRedisConnection) result) : result;
        });
    }

    /** Completes when the first script is held back. */
    CompletableFuture<Void> reached() {
        return reached;
    }

    void open() {
        gate.complete(null);
    }

    private ReactiveRedisConnection connection(ReactiveRedisConnection delegate) {
        return proxy(ReactiveRedisConnection.class, delegate, (target, method, args) -> {
            Object result = invoke(method, target, args);
            return method.getName().equals("scriptingCommands") ? scripting((ReactiveScriptingCommands) result) : result;
        });
    }

    private ReactiveScriptingCommands scripting(ReactiveScriptingCommands delegate) {
        return proxy(ReactiveScriptingCommands.class, delegate, (target, method, args) -> {
            Object result = invoke(method, target, args);
            if (!method.getName().startsWith("eval") || !(result instanceof Flux<?> flux) || !gated.compareAndSet(false, true)) {
                return result;
            }
            return Mono.fromRunnable(() -> reached.complete(null)).then(Mono.fromFuture(gate)).thenMany(flux);
        });
    }
}
