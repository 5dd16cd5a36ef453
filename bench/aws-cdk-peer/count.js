// Resources per stack in a CDKTF output (stacks/*/cdk.tf.json) or a CDK cloud assembly (*.template.json).
// Usage: node count.js <dir>
const fs = require("fs");
const path = require("path");
const dir = process.argv[2];
let total = 0;
const rows = [];
if (fs.existsSync(path.join(dir, "stacks"))) {
  for (const s of fs.readdirSync(path.join(dir, "stacks")).sort()) {
    const f = path.join(dir, "stacks", s, "cdk.tf.json");
    if (!fs.existsSync(f)) continue;
    const j = JSON.parse(fs.readFileSync(f, "utf8"));
    const n = Object.values(j.resource ?? {}).reduce((a, m) => a + Object.keys(m).length, 0);
    rows.push([s, n]);
  }
} else {
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".template.json")).sort()) {
    const j = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    rows.push([f.replace(/\.template\.json$/, ""), Object.keys(j.Resources ?? {}).length]);
  }
}
for (const [s, n] of rows) { console.log(`${s}\t${n}`); total += n; }
console.log(`total\t${total}`);
