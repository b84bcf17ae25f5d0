package io.agentnexus.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.HttpClientResponse;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** How an answer is judged when it ended before its handlers were set (the delivery tests send real ones). */
class WebhookSenderTest {

    @Test
    void anAnswerThatEndedBeforeItsHandlersIsJudgedByItsStatus() {
        assertEquals(new WebhookSender.Outcome(true, 204, null), WebhookSender.outcome(ended(204)).result());
        assertEquals(new WebhookSender.Outcome(false, 500, "HTTP 500"), WebhookSender.outcome(ended(500)).result());
    }

    /** A response as Vert.x hands it out once it has ended: it refuses handlers. */
    private static HttpClientResponse ended(int status) {
        return (HttpClientResponse) Proxy.newProxyInstance(WebhookSenderTest.class.getClassLoader(),
                new Class<?>[] {HttpClientResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "statusCode" -> status;
                    case "handler", "endHandler", "exceptionHandler" -> throw new IllegalStateException();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
