package dev.tokenstarter.token.internal.shared;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/** Interface proxies around Redis connection objects, for tests that step into what a connection sends. */
final class Proxies {

    private Proxies() {
    }

    /** {@code delegate} behind a proxy of {@code type} whose every call goes through {@code handler}. */
    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, T delegate, Handler<T> handler) {
        InvocationHandler invocation = (proxy, method, args) -> handler.handle(delegate, method, args);
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, invocation);
    }

    /** Calls {@code method} on {@code target}, throwing what it throws. */
    static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    @FunctionalInterface
    interface Handler<T> {

        Object handle(T target, Method method, Object[] args) throws Throwable;
    }
}
