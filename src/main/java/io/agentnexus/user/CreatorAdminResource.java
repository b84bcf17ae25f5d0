package io.agentnexus.user;

import io.agentnexus.platform.validation.EthAddress;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admins decide which wallets may publish agents. */
@Path("/api/admin/creators/{address}")
@Tag(name = "Admin")
@RolesAllowed(Role.ADMIN_GROUP)
public class CreatorAdminResource {

    private final UserService users;

    CreatorAdminResource(UserService users) {
        this.users = users;
    }

    @PUT
    @Operation(summary = "Grant the creator role to a wallet (creating its user if it never signed in)",
            description = "Idempotent; takes effect on the wallet's next request, no new sign-in needed.")
    public UserView grant(@PathParam("address") @EthAddress String address) {
        return users.grantCreator(address);
    }

    @DELETE
    @Operation(summary = "Revoke the creator role from a wallet", description = "Idempotent; 404 for an unknown wallet.")
    public UserView revoke(@PathParam("address") @EthAddress String address) {
        return users.revokeCreator(address);
    }
}
