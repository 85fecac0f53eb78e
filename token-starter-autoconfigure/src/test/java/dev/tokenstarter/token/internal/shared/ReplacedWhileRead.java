package dev.tokenstarter.token.internal.shared;

import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveKeyCommands;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveScriptingCommands;

import static dev.tokenstarter.token.internal.shared.Proxies.invoke;
import static dev.tokenstarter.token.internal.shared.Proxies.proxy;

/**
 * A connection factory that runs a replacement of the entry (another instance storing its token) the moment
 * the first read command sent through it has answered, before its answer is handed on: the {@code PTTL} of a
 * read made of commands, or the script of a read made of one. A read made of two commands then has its second
 * answered from the replaced entry; a read that is one script is answered from the entry as it was.
 */
final class ReplacedWhileRead {

    private final Mono<?> replacement;

    private final AtomicBoolean replaced = new AtomicBoolean();

    /** @param replacement stores another token in the entry (through another connection) */
    ReplacedWhileRead(Mono<?> replacement) {
        this.replacement = replacement;
    }

    /** Whether the replacement ran. */
    boolean replaced() {
        return replaced.get();
    }

    ReactiveRedisConnectionFactory wrap(ReactiveRedisConnectionFactory delegate) {
        return proxy(ReactiveRedisConnectionFactory.class, delegate, (target, method, args) -> {
            Object result = invoke(method, target, args);
            return (method.getName().equals("getReactiveConnection")) ? connection((ReactiveRedisConnection) result) : result;
        });
    }

    private ReactiveRedisConnection connection(ReactiveRedisConnection delegate) {
        return proxy(ReactiveRedisConnection.class, delegate, (target, method, args) -> {
            Object result = invoke(method, target, args);
            if (method.getName().equals("keyCommands")) {
                return keys((ReactiveKeyCommands) result);
            }
            return method.getName().equals("scriptingCommands") ? scripting((ReactiveScriptingCommands) result) : result;
        });
    }

    private ReactiveKeyCommands keys(ReactiveKeyCommands delegate) {
        return proxy(ReactiveKeyCommands.class, delegate, (target, method, args) -> {
            Object result = invoke(method, target, args);
            return (method.getName().equals("pTtl") && result instanceof Mono<?> mono)
                    ? mono.flatMap((answer) -> replaceOnce().thenReturn(answer)) : result;
        });
    }

    private ReactiveScriptingCommands scripting(ReactiveScriptingCommands delegate) {
        return proxy(ReactiveScriptingCommands.class, delegate, (target, method, args) -> {
            Object result = invoke(method, target, args);
            return (method.getName().startsWith("eval") && result instanceof Flux<?> flux)
                    ? flux.collectList().flatMapMany((answer) -> replaceOnce().thenMany(Flux.fromIterable(answer)))
                    : result;
        });
    }

    private Mono<Void> replaceOnce() {
        return Mono.defer(() -> replaced.compareAndSet(false, true) ? replacement.then() : Mono.empty());
    }
}
