package io.agentnexus.purchase;

import io.agentnexus.purchase.PurchaseDtos.PurchaseList;
import io.agentnexus.purchase.PurchaseDtos.PurchaseView;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import io.agentnexus.platform.web.PageRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/purchases")
@Tag(name = "Purchases", description = "Paying for agents through the on-chain escrow")
@Authenticated
public class PurchaseResource {

    private final PurchaseService purchases;

    PurchaseResource(PurchaseService purchases) {
        this.purchases = purchases;
    }

    @POST
    @Operation(summary = "Start buying an agent",
            description = "Returns a PENDING purchase with a fresh paymentId and the unsigned escrow transaction "
                    + "(to, data, value) for the buyer's wallet to send. 409 if the caller already holds the agent.")
    public Response create(@NotNull @Valid PurchaseDtos.Create request, @Context UriInfo uri) {
        PurchaseView purchase = purchases.create(request);
        return Response.created(uri.getAbsolutePathBuilder().path(purchase.id().toString()).build())
                .entity(purchase).build();
    }

    @POST
    @Path("/{id}/confirm")
    @Operation(summary = "Confirm a purchase with the deposit's transaction hash",
            description = "Verifies the receipt on-chain (success, confirmations, our escrow's deposit event with "
                    + "this paymentId, the buyer's wallet, agent, amount, token), mints the entitlement (for a run's "
                    + "payment: queues the run) and answers CONFIRMED. Idempotent. The chain listener confirms "
                    + "deposits whose buyer never calls this.")
    public PurchaseView confirm(@PathParam("id") UUID id, @NotNull @Valid PurchaseDtos.Confirm request) {
        return purchases.confirm(id, request.txHash());
    }

    @POST
    @Path("/{id}/dispute")
    @Operation(summary = "Dispute a confirmed purchase within its dispute window (the buyer only)",
            description = "A CONFIRMED access purchase is settled by itself when its dispute window (72 h by "
                    + "default, see disputeWindowEndsAt) closes. Disputed before then, it becomes DISPUTED and waits "
                    + "for an admin to release or refund it. 409 once the window closed, for a run's payment (it "
                    + "settles with the run) or a purchase that is not CONFIRMED; another user's purchase is 404.")
    public PurchaseView dispute(@PathParam("id") UUID id, @NotNull @Valid PurchaseDtos.Dispute request) {
        return purchases.dispute(id, request.reason());
    }

    @GET
    @Operation(summary = "The caller's purchases, newest first")
    public PurchaseList mine(@Valid @BeanParam PageRequest page) {
        return purchases.mine(page.page, page.size);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One of the caller's purchases", description = "Another user's purchase answers 404.")
    public PurchaseView get(@PathParam("id") UUID id) {
        return purchases.get(id);
    }
}
