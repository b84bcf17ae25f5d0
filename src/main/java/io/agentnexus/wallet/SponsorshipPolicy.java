package io.agentnexus.wallet;

import io.agentnexus.agent.AgentService;
import io.agentnexus.chain.ChainConfig;
import io.agentnexus.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * What the platform's paymaster pays for: only calls into the platform's own contracts, so nobody can
 * drain it — depositPayment on the escrow, any call to the entitlements, and approve(escrow, amount) on
 * a token some listed agent is priced in; at most {@code max-calls} calls, and a daily cap per user
 * ({@link WalletService} counts under the user's lock). A refusal is a 403 naming the rule.
 */
@ApplicationScoped
class SponsorshipPolicy {

    static final String DEPOSIT_SELECTOR = selector("depositPayment(bytes32,uint256,uint256,address)");
    static final String APPROVE_SELECTOR = selector("approve(address,uint256)");

    private final ChainConfig chain;
    private final WalletConfig config;
    private final AgentService agents;

    SponsorshipPolicy(ChainConfig chain, WalletConfig config, AgentService agents) {
        this.chain = chain;
        this.config = config;
        this.agents = agents;
    }

    void check(List<Call> calls) {
        int max = config.sponsorship().maxCalls();
        if (calls.size() > max) {
            throw refused("a sponsored operation makes at most " + max + " calls; this one makes " + calls.size());
        }
        for (int i = 0; i < calls.size(); i++) {
            String why = refusal(calls.get(i));
            if (why != null) {
                throw refused("call " + i + " " + why + ". Only calls into the platform's contracts are sponsored: "
                        + "depositPayment on the escrow " + chain.escrowAddress() + ", the entitlements "
                        + chain.entitlementsAddress() + ", or approve(escrow, amount) on an agent's price token. "
                        + "Send it with \"sponsored\": false to pay the gas from the account");
            }
        }
    }

    /** The daily cap, once the caller knows how many sponsored operations the user prepared in 24 hours. */
    void checkDailyCap(long preparedToday) {
        int cap = config.sponsorship().dailyOperations();
        if (preparedToday >= cap) {
            throw refused("the daily cap of " + cap + " sponsored operations per user is reached; try again later "
                    + "or send the operation with \"sponsored\": false");
        }
    }

    private String refusal(Call call) {
        String to = call.to().toLowerCase();
        String selector = call.data().length() >= 10 ? call.data().substring(0, 10).toLowerCase() : "";
        if (to.equalsIgnoreCase(chain.escrowAddress())) {
            return DEPOSIT_SELECTOR.equals(selector) ? null : "calls the escrow, but not depositPayment";
        }
        if (to.equalsIgnoreCase(chain.entitlementsAddress())) {
            return call.value().signum() == 0 ? null : "sends ETH to the entitlements contract";
        }
        if (!APPROVE_SELECTOR.equals(selector)) {
            return "goes to " + to + ", which is not one of the platform's contracts";
        }
        if (call.value().signum() != 0 || !agents.isPriceToken(to)) {
            return "approves on " + to + ", which is no listed agent's price token";
        }
        String spender = call.data().length() >= 74 ? "0x" + call.data().substring(34, 74).toLowerCase() : "";
        return spender.equalsIgnoreCase(chain.escrowAddress()) ? null : "approves " + spender + ", not the escrow";
    }

    private static ApiException refused(String rule) {
        return new ApiException(Status.FORBIDDEN, "sponsorship-refused", "not sponsored: " + rule);
    }

    private static String selector(String signature) {
        return Numeric.toHexString(Hash.sha3(signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .substring(0, 10);
    }
}
