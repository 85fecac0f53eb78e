package dev.tokenstarter.token.endpoint;

/**
 * How a refresh token is presented to the token endpoint when a token is refreshed.
 */
public enum RefreshTokenPresentation {

    /** RFC 6749 §6: {@code grant_type=refresh_token} and {@code refresh_token} as request parameters. */
    FORM_PARAMETER,

    /**
     * {@code Authorization: Bearer <refresh token>}, no grant parameters and no client authentication (the
     * refresh token is the request's credential): an empty body unless {@code request.extra-parameters} are
     * configured, as some non-standard endpoints refresh.
     */
    BEARER_HEADER
}
