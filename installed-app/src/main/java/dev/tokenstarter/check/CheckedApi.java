package dev.tokenstarter.check;

import org.springframework.web.service.annotation.GetExchange;

/** The API behind {@code api.auth.base-url} as a declarative HTTP service client of the group {@code api}. */
public interface CheckedApi {

    @GetExchange("/http-service")
    String call();
}
