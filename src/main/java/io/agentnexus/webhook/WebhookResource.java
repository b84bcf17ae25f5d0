package io.agentnexus.webhook;

import io.agentnexus.platform.web.PageRequest;
import io.agentnexus.webhook.WebhookDtos.DeliveryList;
import io.agentnexus.webhook.WebhookDtos.DeliveryView;
import io.agentnexus.webhook.WebhookDtos.SubscriptionList;
import io.agentnexus.webhook.WebhookDtos.SubscriptionView;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Every endpoint: any signed-in user, for their own subscriptions and deliveries only (others' are 404). */
@Path("/api/webhooks")
@Tag(name = "Webhooks", description = "Signed event notifications (Standard Webhooks) for runs and purchases")
@Authenticated
public class WebhookResource {

    private final WebhookService webhooks;

    WebhookResource(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @Operation(summary = "Subscribe a URL to events of the caller's account",
            description = "Any signed-in user. 201 + Location; the answer holds the signing secret (whsec_...), shown "
                    + "only here and when rotated. 400 for an unknown event type (the detail lists the valid ones), a "
                    + "URL that is not http(s), has user info or resolves to a private or loopback address; 409 beyond "
                    + "the per-account limit.")
    public Response create(@NotNull @Valid WebhookDtos.Create request, @Context UriInfo uri) {
        SubscriptionView created = webhooks.create(request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
                .entity(created).build();
    }

    @GET
    @Operation(summary = "The caller's subscriptions, oldest first (without secrets)")
    public SubscriptionList list(@Valid @BeanParam PageRequest page) {
        return webhooks.list(page.page, page.size);
    }

    @GET
    @Path("/secret")
    @Operation(summary = "The caller's signing secret of per-run webhooks",
            description = "Any signed-in user, for themselves. Signs the deliveries to the `webhook` URL given in "
                    + "POST /api/executions (subscriptions have their own secrets). Created on first use.")
    public WebhookDtos.SigningSecret secret() {
        return webhooks.accountSecret();
    }

    @GET
    @Path("/deliveries")
    @Operation(summary = "The caller's deliveries, newest first; executionId: those of one run's own webhook",
            description = "Any signed-in user, their own deliveries only. Each id is the webhook-id of its attempts.")
    public DeliveryList deliveries(@QueryParam("executionId") UUID executionId, @Valid @BeanParam PageRequest page) {
        return webhooks.deliveries(Optional.ofNullable(executionId), page.page, page.size);
    }

    @POST
    @Path("/deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Send a delivery again",
            description = "The delivery's owner. 202: queued now with the same webhook-id and payload and a fresh "
                    + "retry schedule, whatever its status was. Another user's delivery is 404.")
    public Response redeliver(@PathParam("deliveryId") String deliveryId) {
        DeliveryView delivery = webhooks.redeliver(deliveryId);
        return Response.accepted(delivery).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One of the caller's subscriptions", description = "Another user's is 404.")
    public SubscriptionView get(@PathParam("id") UUID id) {
        return webhooks.get(id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change a subscription's URL, events, description or enabled flag",
            description = "The subscription's owner; fields left out stay as they are. Same checks as create. "
                    + "Pending deliveries go to the new URL; a disabled subscription's wait until it is enabled.")
    public SubscriptionView update(@PathParam("id") UUID id, @NotNull @Valid WebhookDtos.Update request) {
        return webhooks.update(id, request);
    }

    @POST
    @Path("/{id}/secret/rotate")
    @Operation(summary = "Replace a subscription's signing secret",
            description = "The subscription's owner. The answer holds the new secret; the old one stops signing at once.")
    public SubscriptionView rotate(@PathParam("id") UUID id) {
        return webhooks.rotateSecret(id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a subscription and its delivery log",
            description = "The subscription's owner; 204. Its pending deliveries are dropped.")
    public Response delete(@PathParam("id") UUID id) {
        webhooks.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "A subscription's delivery log, newest first",
            description = "The subscription's owner: status, attempts, last status code or error, next attempt.")
    public DeliveryList subscriptionDeliveries(@PathParam("id") UUID id, @Valid @BeanParam PageRequest page) {
        return webhooks.deliveries(id, page.page, page.size);
    }
}
