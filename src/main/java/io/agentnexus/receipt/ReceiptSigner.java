package io.agentnexus.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.chain.ChainConfig;
import io.agentnexus.user.Wallet;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredData;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.utils.Numeric;

/**
 * The platform's receipt key: signs EIP-712 typed data as eth_signTypedData_v4 does. Signatures are
 * deterministic (RFC 6979), so a receipt computed twice is the same receipt and needs no storage.
 */
@ApplicationScoped
@RegisterForReflection(targets = {StructuredData.EIP712Message.class, StructuredData.EIP712Domain.class,
        StructuredData.Entry.class}) // web3j reads the typed data with Jackson: a native image must keep them
class ReceiptSigner {

    private final Credentials key;
    private final ObjectMapper json;

    ReceiptSigner(ReceiptsConfig config, ChainConfig chain, ObjectMapper json) {
        this.key = Credentials.create(config.signerKey().orElse(chain.operatorKey()));
        this.json = json;
    }

    /** The signer's address, EIP-55 checksummed: what a verifier compares the recovered address with. */
    String address() {
        return Wallet.checksummed(key.getAddress());
    }

    /** The EIP-712 digest of the typed data and its signature r ‖ s ‖ v (v = 27 or 28), both 0x-hex. */
    Signed sign(Map<String, Object> typedData) {
        byte[] digest;
        try {
            digest = new StructuredDataEncoder(json.writeValueAsString(typedData)).hashStructuredData();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("typed data that cannot be written as JSON", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Sign.SignatureData signature = Sign.signMessage(digest, key.getEcKeyPair(), false);
        byte[] rsv = new byte[65];
        System.arraycopy(signature.getR(), 0, rsv, 0, 32);
        System.arraycopy(signature.getS(), 0, rsv, 32, 32);
        rsv[64] = signature.getV()[0];
        return new Signed(Numeric.toHexString(digest), Numeric.toHexString(rsv));
    }

    record Signed(String digest, String signature) {
    }
}
