# DCA Planner: equal buys in cents; the last buy takes the rounding remainder so the plan spends the budget exactly.
read -r input
echo "$input" | awk '
function after(name) { return match($0, "\"" name "\":") ? substr($0, RSTART + RLENGTH) : "" }
function number(name,   v) { v = after(name); sub(/[,}].*$/, "", v); return v + 0 }
{
    token = after("token"); sub(/^"/, "", token); sub(/".*$/, "", token)
    cents = int(number("budget") * 100 + 0.5); periods = number("periods"); every = number("intervalDays")
    each = int(cents / periods)
    printf "dca-planner: %d buys of %s every %d days\n", periods, token, every > "/dev/stderr"
    printf "{\"token\":\"%s\",\"perPeriod\":%.2f,\"schedule\":[", token, each / 100
    for (i = 1; i <= periods; i++) {
        amount = i < periods ? each : cents - each * (periods - 1)
        printf "%s{\"day\":%d,\"amount\":%.2f}", (i > 1 ? "," : ""), (i - 1) * every, amount / 100
    }
    print "]}"
}'
