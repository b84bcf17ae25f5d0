package io.agentnexus.wallet;

import java.math.BigInteger;

/** One call a smart account makes: to a contract, with ETH value (wei) and calldata (0x-hex). */
public record Call(String to, BigInteger value, String data) {
}
