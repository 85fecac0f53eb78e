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

    /** The role of a client's preconfigured WebClient in its bean name. */
    static final String WEB_CLIENT = "WebClient";

    /** The role of a client's preconfigured RestClient in its bean name. */
    static final String REST_CLIENT = "RestClient";

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
        return name(WEB_CLIENT);
    }

    String restClient() {
        return name(REST_CLIENT);
    }

    /** The prefix every bean name of the client starts with: two clients with the same one collide. */
    String prefix() {
        return name("");
    }

    /** The name of the client's bean in {@code role}, e.g. {@link #WEB_CLIENT}. */
    String name(String role) {
        return TokenClients.beanName(client, role);
    }
}
