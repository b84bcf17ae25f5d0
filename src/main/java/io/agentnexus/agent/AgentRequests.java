package io.agentnexus.agent;

import io.agentnexus.platform.validation.EthAddress;
import io.agentnexus.platform.validation.Wei;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * Bodies of the agent write endpoints, validated as the spec's CreateAgentSchema. memoryMb and
 * timeoutSeconds lower an agent's run limits below the platform's (512 MiB, 300 s), never above.
 */
public final class AgentRequests {

    static final String VERSION = "^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$";
    static final String VERSION_MESSAGE = "must be a version such as 1.2.0";

    private AgentRequests() {
    }

    /** POST /api/agents. priceToken defaults to native ETH, pricing to access, version to 1.0.0, status to ACTIVE. */
    public record Create(
            @NotBlank @Size(min = 3, max = 100) String name,
            @NotBlank @Size(min = 10, max = 1000) String description,
            @NotNull AgentCategory category,
            @NotNull @Wei String price,
            @EthAddress String priceToken,
            Pricing pricing,
            @Pattern(regexp = VERSION, message = VERSION_MESSAGE) String version,
            @NotNull @Size(max = 512) @Pattern(regexp = ImageReference.PATTERN, message = ImageReference.MESSAGE)
            String dockerImage,
            @NotNull @UsableSchema Map<String, Object> inputSchema,
            @NotNull @UsableSchema Map<String, Object> outputSchema,
            AgentStatus status,
            @Min(16) @Max(512) Integer memoryMb,
            @Min(1) @Max(300) Integer timeoutSeconds) {
    }

    /** PUT /api/agents/{id}: the fields given replace the agent's; absent (null) fields stay as they are. */
    public record Update(
            @Size(min = 3, max = 100) String name,
            @Size(min = 10, max = 1000) String description,
            AgentCategory category,
            @Wei String price,
            @EthAddress String priceToken,
            Pricing pricing,
            @Pattern(regexp = VERSION, message = VERSION_MESSAGE) String version,
            @Size(max = 512) @Pattern(regexp = ImageReference.PATTERN, message = ImageReference.MESSAGE)
            String dockerImage,
            @UsableSchema Map<String, Object> inputSchema,
            @UsableSchema Map<String, Object> outputSchema,
            AgentStatus status,
            @Min(16) @Max(512) Integer memoryMb,
            @Min(1) @Max(300) Integer timeoutSeconds) {
    }
}
