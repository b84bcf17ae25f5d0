package io.agentnexus.receipt;

import io.agentnexus.receipt.ReceiptDtos.PlatformView;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The platform's published facts. It lives with the receipts because the receipt signer is what it exists
 * to publish (next to the chain and contracts a receipt refers to); the platform package imports no feature.
 */
@Path("/api/platform")
@Tag(name = "Platform", description = "What clients need to check the platform's claims")
@PermitAll
public class PlatformResource {

    private final ReceiptService receipts;

    PlatformResource(ReceiptService receipts) {
        this.receipts = receipts;
    }

    @GET
    @Operation(summary = "Chain id, contract addresses, and the address and EIP-712 domain of run receipts")
    public PlatformView get() {
        return receipts.platform();
    }
}
