package io.agentnexus.agent;

public enum AgentCategory {
    TRADING, ANALYTICS, DEFI, NFT, SOCIAL, UTILITY
}
