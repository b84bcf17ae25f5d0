# Gas Oracle: statistics of the given base fees; the max fee covers two full blocks of base-fee rises.
read -r input
echo "$input" | awk '
function after(name) { return match($0, "\"" name "\":") ? substr($0, RSTART + RLENGTH) : "" }
{
    fees = after("baseFeesGwei"); sub(/^\[/, "", fees); sub(/\].*$/, "", fees)
    urgency = after("urgency"); sub(/^"/, "", urgency); sub(/".*$/, "", urgency)
    n = split(fees, fee, ",")
    for (i = 1; i <= n; i++) { sum += fee[i]; if (fee[i] > max) max = fee[i] }
    last = fee[n]; first = fee[1]
    trend = last > first * 1.05 ? "rising" : (last < first * 0.95 ? "falling" : "flat")
    tip = urgency == "high" ? 3 : (urgency == "low" ? 0.5 : 1.5)
    if (trend == "rising") tip *= 1.5
    printf "gas-oracle: %d samples, urgency %s, trend %s\n", n, urgency, trend > "/dev/stderr"
    printf "{\"samples\":%d,\"averageBaseFeeGwei\":%.4f,\"maxBaseFeeGwei\":%.4f,\"trend\":\"%s\",", n, sum / n, max, trend
    printf "\"suggestedPriorityFeeGwei\":%.4f,\"suggestedMaxFeeGwei\":%.4f}\n", tip, last * 1.125 * 1.125 + tip
}'
