package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JsonPointer;

/** A configured response field: its name as configured (for messages) and where it sits in the JSON. */
record ResponseField(String name, JsonPointer pointer) {

    /** The field called {@code name} (a top-level name, or a JSON pointer), or null if not configured. */
    static @Nullable ResponseField of(@Nullable String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        return new ResponseField(name, name.startsWith("/") ? JsonPointer.compile(name)
                : JsonPointer.compile("/" + name.replace("~", "~0").replace("/", "~1")));
    }

    @Override
    public String toString() {
        return "field '" + name + "'";
    }
}
