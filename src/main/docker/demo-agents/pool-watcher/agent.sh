# Pool Watcher: the change between two snapshots; within 1 % counts as flat.
read -r input
echo "$input" | awk '
function after(name) { return match($0, "\"" name "\":") ? substr($0, RSTART + RLENGTH) : "" }
function number(name,   v) { v = after(name); sub(/[,}].*$/, "", v); return v + 0 }
{
    pool = after("pool"); sub(/^"/, "", pool); sub(/".*$/, "", pool)
    before = number("liquidityBefore"); change = number("liquidityAfter") - before
    pct = change * 100 / before
    trend = pct > 1 ? "growing" : (pct < -1 ? "shrinking" : "flat")
    printf "pool-watcher: %s is %s (%.2f %%)\n", pool, trend, pct > "/dev/stderr"
    printf "{\"pool\":\"%s\",\"liquidityChange\":%.4f,\"liquidityChangePct\":%.4f,\"feesEarned\":%.4f,\"trend\":\"%s\"}\n",
        pool, change, pct, number("feesAfter") - number("feesBefore"), trend
}'
