package io.agentnexus.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.tx.gas.ContractGasProvider;

/** The gas price the node suggests at the time of each transaction, with a fixed gas limit. */
final class NodeGasPrice implements ContractGasProvider {

    private final Web3j web3j;
    private final BigInteger gasLimit;

    NodeGasPrice(Web3j web3j, BigInteger gasLimit) {
        this.web3j = web3j;
        this.gasLimit = gasLimit;
    }

    @Override
    public BigInteger getGasPrice() {
        try {
            return web3j.ethGasPrice().send().getGasPrice();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public BigInteger getGasLimit(Transaction transaction) {
        return gasLimit;
    }

    @Override
    public BigInteger getGasLimit() {
        return gasLimit;
    }
}
