package io.agentnexus.webhook;

import io.agentnexus.platform.error.ApiException;
import io.agentnexus.platform.security.Caller;
import io.agentnexus.webhook.WebhookDtos.DeliveryList;
import io.agentnexus.webhook.WebhookDtos.DeliveryView;
import io.agentnexus.webhook.WebhookDtos.SubscriptionList;
import io.agentnexus.webhook.WebhookDtos.SubscriptionView;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The caller's webhook subscriptions, signing secret and delivery log; another user's are not found. */
@ApplicationScoped
public class WebhookService {

    private final WebhookOutbox outbox;
    private final AddressGuard guard;
    private final Caller caller;
    private final Clock clock;
    private final int maxSubscriptions;

    WebhookService(WebhookOutbox outbox, AddressGuard guard, Caller caller, Clock clock, WebhooksConfig config) {
        this.outbox = outbox;
        this.guard = guard;
        this.caller = caller;
        this.clock = clock;
        this.maxSubscriptions = config.maxSubscriptionsPerUser();
    }

    /**
     * A run's own webhook from a submit request, checked like a subscription's URL (400 on {@code webhook}
     * or {@code webhookEvents}); null without a URL. Events default to every execution event.
     */
    public RunWebhook runWebhook(UUID executionId, String url, List<String> events) {
        if (url == null) {
            if (events != null) {
                throw ApiException.invalidField("webhookEvents", "needs a webhook");
            }
            return null;
        }
        Set<WebhookEventType> types = events == null ? WebhookEventType.executionEvents()
                : WebhookEventType.parse(events, WebhookEventType.executionEvents(), "webhookEvents");
        return new RunWebhook(executionId, guard.checkUrl(url, "webhook"), types);
    }

    @Transactional
    public SubscriptionView create(WebhookDtos.Create request) {
        UUID user = caller.requireUserId();
        if (WebhookSubscription.count("userId", user) >= maxSubscriptions) {
            throw ApiException.conflict("an account may have at most " + maxSubscriptions + " webhook subscriptions");
        }
        WebhookSubscription subscription = new WebhookSubscription();
        subscription.userId = user;
        subscription.url = guard.checkUrl(request.url(), "url");
        subscription.eventTypes = WebhookEventType.wireNames(WebhookEventType.parse(request.events(), "events"));
        subscription.description = request.description();
        subscription.enabled = request.enabled() == null || request.enabled();
        subscription.secret = WebhookSignature.newSecret();
        subscription.createdAt = clock.instant();
        subscription.updatedAt = subscription.createdAt;
        subscription.persist();
        return view(subscription, true);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public SubscriptionList list(int page, int size) {
        UUID user = caller.requireUserId();
        List<SubscriptionView> views = WebhookSubscription.<WebhookSubscription>find("userId",
                        Sort.by("createdAt").and("id"), user)
                .page(page, size).list().stream().map(s -> view(s, false)).toList();
        return new SubscriptionList(views, page, size, WebhookSubscription.count("userId", user));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public SubscriptionView get(UUID id) {
        return view(owned(id), false);
    }

    @Transactional
    public SubscriptionView update(UUID id, WebhookDtos.Update request) {
        WebhookSubscription subscription = owned(id);
        if (request.url() != null) {
            subscription.url = guard.checkUrl(request.url(), "url");
        }
        if (request.events() != null) {
            subscription.eventTypes = WebhookEventType.wireNames(WebhookEventType.parse(request.events(), "events"));
        }
        if (request.description() != null) {
            subscription.description = request.description();
        }
        if (request.enabled() != null) {
            subscription.enabled = request.enabled();
        }
        subscription.updatedAt = clock.instant();
        return view(subscription, false);
    }

    /** A new secret; the old one stops signing at once. */
    @Transactional
    public SubscriptionView rotateSecret(UUID id) {
        WebhookSubscription subscription = owned(id);
        subscription.secret = WebhookSignature.newSecret();
        subscription.updatedAt = clock.instant();
        return view(subscription, true);
    }

    /** Its deliveries (pending ones included) go with it. */
    @Transactional
    public void delete(UUID id) {
        owned(id).delete();
    }

    public WebhookDtos.SigningSecret accountSecret() {
        return new WebhookDtos.SigningSecret(outbox.accountSecret(caller.requireUserId()));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public DeliveryList deliveries(UUID subscriptionId, int page, int size) {
        owned(subscriptionId);
        return deliveries("subscriptionId = :subscription", Parameters.with("subscription", subscriptionId), page, size);
    }

    /** The caller's deliveries of every destination, or of one run's own webhook. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public DeliveryList deliveries(Optional<UUID> executionId, int page, int size) {
        Parameters params = Parameters.with("user", caller.requireUserId());
        String where = "userId = :user";
        if (executionId.isPresent()) {
            where += " and executionId = :execution";
            params.and("execution", executionId.get());
        }
        return deliveries(where, params, page, size);
    }

    /** 404 for another user's delivery. */
    @Transactional
    public DeliveryView redeliver(String deliveryId) {
        if (!outbox.redeliver(deliveryId, caller.requireUserId())) {
            throw ApiException.notFound("Delivery", deliveryId);
        }
        return view(WebhookDelivery.<WebhookDelivery>findById(deliveryId));
    }

    private DeliveryList deliveries(String where, Parameters params, int page, int size) {
        List<DeliveryView> views = WebhookDelivery.<WebhookDelivery>find(where + " order by createdAt desc, id", params)
                .page(page, size).list().stream().map(WebhookService::view).toList();
        return new DeliveryList(views, page, size, WebhookDelivery.count(where, params));
    }

    private WebhookSubscription owned(UUID id) {
        WebhookSubscription subscription = WebhookSubscription.owned(id, caller.requireUserId());
        if (subscription == null) {
            throw ApiException.notFound("Webhook", id);
        }
        return subscription;
    }

    private static SubscriptionView view(WebhookSubscription s, boolean withSecret) {
        return new SubscriptionView(s.id, s.url, s.eventTypes, s.description, s.enabled, withSecret ? s.secret : null,
                s.createdAt, s.updatedAt);
    }

    private static DeliveryView view(WebhookDelivery d) {
        Instant next = d.status == WebhookDelivery.Status.PENDING ? d.nextAttemptAt : null;
        return new DeliveryView(d.id, d.subscriptionId, d.executionId, d.url, d.eventType, d.status, d.attempts,
                d.lastStatusCode, d.lastError, next, d.lastAttemptAt, d.deliveredAt, d.createdAt);
    }
}
