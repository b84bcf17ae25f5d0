#!/usr/bin/env bash
# Signs in to AgentNexus with a wallet's private key (Sign-In with Ethereum) and prints a bearer token.
#
#   scripts/sign-in.sh [PRIVATE_KEY] [BASE_URL]
#
# Defaults: anvil's dev account #0 (the dev-mode admin) and http://localhost:8080.
# Needs curl and Node.js; signs with Foundry's cast, fetched from npm on first use.
set -euo pipefail

KEY=${1:-0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80}
BASE=${2:-${AGENTNEXUS_URL:-http://localhost:8080}}

cast() { npx --yes @foundry-rs/cast@1.7.1 "$@"; }
json() { node -e "const v = JSON.parse(process.argv[1]); process.stdout.write(String($1))" "$2"; }

address=$(cast wallet address --private-key "$KEY")
challenge=$(curl -fsS "$BASE/api/users/auth/nonce?address=$address")
message=$(json 'v.message' "$challenge")
signature=$(cast wallet sign --private-key "$KEY" "$message")
body=$(node -e 'process.stdout.write(JSON.stringify({message: process.argv[1], signature: process.argv[2]}))' \
    "$message" "$signature")
response=$(curl -fsS -H 'Content-Type: application/json' -d "$body" "$BASE/api/users/auth")
json 'v.token' "$response"
echo
