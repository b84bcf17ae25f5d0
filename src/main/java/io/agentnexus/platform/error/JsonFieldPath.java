package io.agentnexus.platform.error;

import com.fasterxml.jackson.core.JsonParser;

/** Where a JSON parser stands, in the field style of validation errors: "input.items[0]". */
public final class JsonFieldPath {

    private JsonFieldPath() {
    }

    public static String of(JsonParser parser) {
        StringBuilder field = new StringBuilder();
        for (String step : parser.getParsingContext().pathAsPointer().toString().split("/")) {
            if (step.isEmpty()) {
                continue;
            }
            if (step.chars().allMatch(Character::isDigit)) {
                field.append('[').append(step).append(']');
            } else {
                field.append(field.isEmpty() ? "" : ".")
                        .append(step.replace("~1", "/").replace("~0", "~").replace("\0", "\\u0000"));
            }
        }
        return field.toString();
    }
}
