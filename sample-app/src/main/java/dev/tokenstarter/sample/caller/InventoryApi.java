package dev.tokenstarter.sample.caller;

import org.springframework.web.service.annotation.GetExchange;

/**
 * The inventory API as a declarative HTTP service client: its group is named like the {@code inventory}
 * token client, so its requests carry that client's token and use its base URL.
 */
public interface InventoryApi {

    @GetExchange("/items")
    String items();
}
