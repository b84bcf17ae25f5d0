package io.agentnexus.execution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an agent prints, made storable: PostgreSQL's text and jsonb cannot hold U+0000, so a NUL becomes
 * U+FFFD (the replacement character) in log lines, messages and every string key and value of a result.
 */
final class StoredText {

    private static final char NUL = '\0';
    private static final char REPLACEMENT = '\uFFFD';

    private StoredText() {
    }

    static String clean(String text) {
        return text == null || text.indexOf(NUL) < 0 ? text : text.replace(NUL, REPLACEMENT);
    }

    /** A copy of a parsed JSON object with every string cleaned, keys included. */
    static Map<String, Object> clean(Map<String, Object> json) {
        return json == null ? null : cleanObject(json);
    }

    private static Map<String, Object> cleanObject(Map<?, ?> object) {
        Map<String, Object> cleaned = new LinkedHashMap<>();
        object.forEach((key, value) -> cleaned.put(clean(String.valueOf(key)), cleanValue(value)));
        return cleaned;
    }

    private static Object cleanValue(Object value) {
        return switch (value) {
            case String text -> clean(text);
            case Map<?, ?> object -> cleanObject(object);
            case List<?> array -> {
                List<Object> cleaned = new ArrayList<>(array.size());
                array.forEach(item -> cleaned.add(cleanValue(item)));
                yield cleaned;
            }
            case null, default -> value;
        };
    }
}
