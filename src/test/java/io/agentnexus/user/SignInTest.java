package io.agentnexus.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentnexus.support.TestWallet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SignInTest {

    private final TestWallet wallet = TestWallet.random();

    private String nonceMessage(TestWallet who) {
        return given().queryParam("address", who.address()).when().get("/api/users/auth/nonce")
                .then().statusCode(200).extract().path("message");
    }

    private ValidatableResponse postSignIn(String message, String signature) {
        return given().contentType(ContentType.JSON).body(Map.of("message", message, "signature", signature))
                .when().post("/api/users/auth").then();
    }

    private static String replaceLine(String message, String prefix, String newLine) {
        return String.join("\n", message.lines().map(l -> l.startsWith(prefix) ? newLine : l).toList());
    }

    @Test
    void nonceComesWithTheExactEip4361MessageToSign() throws Exception {
        given().queryParam("address", wallet.address()).when().get("/api/users/auth/nonce")
                .then().statusCode(200)
                .body("nonce", notNullValue())
                .body("message", containsString("localhost:8080 wants you to sign in with your Ethereum account:\n"
                        + wallet.address() + "\n\nSign in to AgentNexus.\n\nURI: http://localhost:8080\nVersion: 1\n"
                        + "Chain ID: 31337\nNonce: "))
                .body("expiresAt", notNullValue());
        SiweMessage parsed = SiweMessage.parse(nonceMessage(wallet));
        assertEquals(300, parsed.expirationTime().getEpochSecond() - parsed.issuedAt().getEpochSecond());
    }

    @Test
    void signingTheMessageReturnsATokenAndCreatesTheUser() {
        String message = nonceMessage(wallet);
        String token = postSignIn(message, wallet.sign(message)).statusCode(200)
                .body("token", notNullValue())
                .body("expiresAt", notNullValue())
                .body("user.walletAddress", equalTo(wallet.address()))
                .body("user.roles", equalTo(List.of("user")))
                .extract().path("token");
        given().auth().oauth2(token).when().get("/api/users/me")
                .then().statusCode(200).body("walletAddress", equalTo(wallet.address()));
    }

    @Test
    void signingInAgainKeepsTheSameUser() {
        String first = io.agentnexus.support.Api.signIn(wallet);
        String id = given().auth().oauth2(first).get("/api/users/me").then().statusCode(200).extract().path("id");
        String second = io.agentnexus.support.Api.signIn(wallet);
        given().auth().oauth2(second).get("/api/users/me").then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void recoveryIdZeroOrOneIsAcceptedToo() {
        String message = nonceMessage(wallet);
        String signature = wallet.sign(message);
        int v = Integer.parseInt(signature.substring(130), 16) - 27;
        postSignIn(message, signature.substring(0, 130) + String.format("%02x", v)).statusCode(200);
    }

    @Test
    void configuredAdminWalletGetsTheAdminRole() {
        String message = nonceMessage(TestWallet.ADMIN);
        postSignIn(message, TestWallet.ADMIN.sign(message)).statusCode(200).body("user.roles", hasItem("admin"));
    }

    @Test
    void replayedMessageIsRejected() {
        String message = nonceMessage(wallet);
        String signature = wallet.sign(message);
        postSignIn(message, signature).statusCode(200);
        postSignIn(message, signature).statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("nonce is unknown, expired or already used"));
    }

    @Test
    void tamperedMessageIsRejected() {
        String message = nonceMessage(wallet);
        String signature = wallet.sign(message);
        String tampered = message.replace("Sign in to AgentNexus.", "Sign in to AgentNexus!");
        postSignIn(tampered, signature).statusCode(401).body("detail", containsString("signature was not made by"));
    }

    @Test
    void signatureOfAnotherWalletIsRejected() {
        String message = nonceMessage(wallet);
        postSignIn(message, TestWallet.random().sign(message)).statusCode(401)
                .body("detail", containsString("signature was not made by " + wallet.address()));
    }

    @Test
    void foreignDomainIsRejected() {
        String message = nonceMessage(wallet).replaceFirst("^localhost:8080", "evil.example");
        postSignIn(message, wallet.sign(message)).statusCode(401)
                .body("detail", containsString("the message is for evil.example"));
    }

    @Test
    void foreignUriIsRejected() {
        String message = replaceLine(nonceMessage(wallet), "URI: ", "URI: https://evil.example");
        postSignIn(message, wallet.sign(message)).statusCode(401).body("detail", containsString("names the URI"));
    }

    @Test
    void wrongChainIsRejected() {
        String message = replaceLine(nonceMessage(wallet), "Chain ID: ", "Chain ID: 1");
        postSignIn(message, wallet.sign(message)).statusCode(401).body("detail", containsString("chain 1"));
    }

    @Test
    void expiredMessageIsRejected() {
        String expired = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        String message = replaceLine(nonceMessage(wallet), "Expiration Time: ", "Expiration Time: " + expired);
        postSignIn(message, wallet.sign(message)).statusCode(401).body("detail", containsString("expired"));
    }

    @Test
    void messageNotYetValidIsRejected() {
        String later = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        String message = nonceMessage(wallet) + "\nNot Before: " + later;
        // Not Before must precede Request ID/Resources and follow Expiration Time, which the message ends with.
        postSignIn(message, wallet.sign(message)).statusCode(401).body("detail", containsString("not valid before"));
    }

    @Test
    void messageIssuedInTheFutureIsRejected() {
        String later = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        String message = replaceLine(nonceMessage(wallet), "Issued At: ", "Issued At: " + later);
        postSignIn(message, wallet.sign(message)).statusCode(401).body("detail", containsString("in the future"));
    }

    @Test
    void unknownNonceIsRejected() {
        String message = replaceLine(nonceMessage(wallet), "Nonce: ", "Nonce: abcdefgh12345678");
        postSignIn(message, wallet.sign(message)).statusCode(401).body("detail", containsString("nonce is unknown"));
    }

    @Test
    void nonceIssuedForAnotherWalletIsRejected() {
        TestWallet other = TestWallet.random();
        String nonceLine = nonceMessage(other).lines().filter(l -> l.startsWith("Nonce: ")).findFirst().orElseThrow();
        String message = replaceLine(nonceMessage(wallet), "Nonce: ", nonceLine);
        postSignIn(message, wallet.sign(message)).statusCode(401)
                .body("detail", containsString("issued for another wallet"));
    }

    @Test
    void textThatIsNotASiweMessageIsRejected() {
        postSignIn("hello", wallet.sign("hello")).statusCode(401)
                .body("detail", containsString("does not follow the EIP-4361 format"));
    }

    @Test
    void addressWithoutChecksumInTheMessageIsRejected() {
        String message = nonceMessage(wallet).replace(wallet.address(), wallet.address().toLowerCase());
        postSignIn(message, wallet.sign(message)).statusCode(401).body("detail", containsString("EIP-55"));
    }

    @Test
    void malformedSignatureIsABadRequest() {
        postSignIn(nonceMessage(wallet), "0x1234").statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("signature"));
    }

    @Test
    void nonceForAnInvalidAddressIsABadRequest() {
        given().queryParam("address", "0x123").when().get("/api/users/auth/nonce")
                .then().statusCode(400).body("errors[0].field", equalTo("address"));
    }

    @Test
    void nonceForAMisspelledChecksumIsABadRequest() {
        given().queryParam("address", withOneLetterFlipped(wallet.address())).when().get("/api/users/auth/nonce")
                .then().statusCode(400).body("errors[0].message", containsString("checksum"));
    }

    /** Flipping the case of one hex letter always breaks an EIP-55 checksum. */
    private static String withOneLetterFlipped(String address) {
        char[] chars = address.toCharArray();
        for (int i = 2; i < chars.length; i++) {
            if (Character.isLetter(chars[i])) {
                chars[i] = Character.isUpperCase(chars[i]) ? Character.toLowerCase(chars[i]) : Character.toUpperCase(chars[i]);
                return new String(chars);
            }
        }
        throw new IllegalStateException("an address without letters: draw another wallet");
    }

    @Test
    void missingOrForgedTokensAreUnauthorized() {
        given().when().get("/api/users/me").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("not.a.jwt").when().get("/api/users/me").then().statusCode(401)
                .contentType("application/problem+json");
    }
}
