package io.agentnexus.purchase;

import io.agentnexus.purchase.PurchaseDtos.PurchaseView;
import io.agentnexus.user.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Settling escrowed payments by hand: disputed purchases, and anything the automatic settlement must not wait for. */
@Path("/api/admin/purchases/{id}")
@Tag(name = "Admin")
@RolesAllowed(Role.ADMIN_GROUP)
public class PurchaseAdminResource {

    private final PurchaseService purchases;

    PurchaseAdminResource(PurchaseService purchases) {
        this.purchases = purchases;
    }

    @POST
    @Path("/release")
    @Operation(summary = "Pay a confirmed or disputed purchase out to the agent's creator, minus the platform fee")
    public PurchaseView release(@PathParam("id") UUID id) {
        return purchases.release(id);
    }

    @POST
    @Path("/refund")
    @Operation(summary = "Return a paid (or disputed) purchase to its buyer and revoke the access it bought")
    public PurchaseView refund(@PathParam("id") UUID id) {
        return purchases.refund(id);
    }
}
