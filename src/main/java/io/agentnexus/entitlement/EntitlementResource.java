package io.agentnexus.entitlement;

import io.agentnexus.platform.security.Caller;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/users/me/entitlements")
@Tag(name = "Users")
@Authenticated
public class EntitlementResource {

    private final EntitlementService entitlements;
    private final Caller caller;

    EntitlementResource(EntitlementService entitlements, Caller caller) {
        this.entitlements = entitlements;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The agents the signed-in user may run: current (unexpired, unrevoked) entitlements")
    public EntitlementList mine(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return entitlements.current(caller.requireUserId(), page, size);
    }
}
