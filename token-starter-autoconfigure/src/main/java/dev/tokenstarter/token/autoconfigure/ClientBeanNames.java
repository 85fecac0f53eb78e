package dev.tokenstarter.token.autoconfigure;

import dev.tokenstarter.token.TokenClients;

/**
 * The names of one client's beans: the one place they are made (the client's name in lower camel case, then
 * the role; see {@link TokenClients#beanName}). A bean the application defines under one of these names
 * replaces the starter's.
 *
 * @param client the client name as configured
 */
record ClientBeanNames(String client) {

    String tokenProvider() {
        return name("TokenProvider");
    }

    String tokenRefresher() {
        return name("TokenRefresher");
    }

    String sharedTokens() {
        return name("SharedTokens");
    }

    String tokenAuthorizer() {
        return name("TokenAuthorizer");
    }

    String tokenInterceptor() {
        return name("TokenInterceptor");
    }

    String tokenFilter() {
        return name("TokenFilter");
    }

    String webClient() {
        return name("WebClient");
    }

    String restClient() {
        return name("RestClient");
    }

    /** The prefix every bean name of the client starts with: two clients with the same one collide. */
    String prefix() {
        return name("");
    }

    private String name(String role) {
        return TokenClients.beanName(client, role);
    }
}
