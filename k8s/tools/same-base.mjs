// Is the freshly generated k8s/base the committed one? The Quarkus generator writes map entries (labels) in
// no fixed order, so the check compares content, not bytes: kubernetes.json as data with sorted keys, and
// kubernetes.yml as its set of lines (any changed, added or removed value shows).
// Usage: node k8s/tools/same-base.mjs <committed dir> <generated dir>
import { readFileSync } from "node:fs";
import { join } from "node:path";

const [committed, generated] = process.argv.slice(2);
const sorted = (value) => Array.isArray(value) ? value.map(sorted)
    : value && typeof value === "object"
        ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted(value[key])]))
        : value;
const json = (dir) => JSON.stringify(sorted(JSON.parse(readFileSync(join(dir, "kubernetes.json"), "utf8"))));
const lines = (dir) => readFileSync(join(dir, "kubernetes.yml"), "utf8").split("\n").sort().join("\n");

const stale = [];
if (json(committed) !== json(generated)) stale.push("kubernetes.json");
if (lines(committed) !== lines(generated)) stale.push("kubernetes.yml");
if (stale.length) {
    console.error(`k8s/base is stale (${stale.join(", ")}): commit what ./mvnw package generates`);
    process.exit(1);
}
