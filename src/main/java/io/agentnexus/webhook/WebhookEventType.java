package io.agentnexus.webhook;

import io.agentnexus.platform.error.ApiException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What a webhook reports, by its wire name ({@code type} of the payload). */
public enum WebhookEventType {
    EXECUTION_STARTED("execution.started"),
    EXECUTION_SUCCEEDED("execution.succeeded"),
    EXECUTION_FAILED("execution.failed"),
    EXECUTION_TIMED_OUT("execution.timed_out"),
    EXECUTION_CANCELLED("execution.cancelled"),
    PURCHASE_CONFIRMED("purchase.confirmed"),
    PURCHASE_RELEASED("purchase.released"),
    PURCHASE_REFUNDED("purchase.refunded"),
    PURCHASE_DISPUTED("purchase.disputed");

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean isExecutionEvent() {
        return wireName.startsWith("execution.");
    }

    /** The types a run's own webhook gets when its request names none. */
    public static Set<WebhookEventType> executionEvents() {
        return Arrays.stream(values()).filter(WebhookEventType::isExecutionEvent)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(WebhookEventType.class)));
    }

    /** The wire names as types; an unknown one is a 400 on {@code field} that lists the allowed names. */
    public static Set<WebhookEventType> parse(List<String> names, Set<WebhookEventType> allowed, String field) {
        Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            WebhookEventType type = allowed.stream().filter(t -> t.wireName.equals(name)).findFirst()
                    .orElseThrow(() -> ApiException.invalidField(field, "unknown event type '" + name + "'; one of: "
                            + allowed.stream().map(WebhookEventType::wireName).collect(Collectors.joining(", "))));
            types.add(type);
        }
        return types;
    }

    public static Set<WebhookEventType> parse(List<String> names, String field) {
        return parse(names, EnumSet.allOf(WebhookEventType.class), field);
    }

    public static List<String> wireNames(Set<WebhookEventType> types) {
        return types.stream().map(WebhookEventType::wireName).toList();
    }
}
