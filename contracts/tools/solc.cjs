'use strict';
// Minimal native-solc CLI emulation over solc-js for forge (offline):
//   solc --version                 -> prints the native-style version banner
//   solc [flags...] --standard-json -> reads Standard JSON from stdin, writes output JSON to stdout
// Path flags forge passes (--allow-paths, --base-path, --include-path) are accepted; sources normally
// arrive inline in the JSON, otherwise they are resolved against --base-path / --include-path.
const fs = require('fs');
const path = require('path');
const solc = require(require.resolve('solc', { paths: [path.join(__dirname, '..')] }));

const args = process.argv.slice(2);
const longVersion = solc.version().replace(/\.Emscripten\.clang$/, '');

if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${longVersion}.Linux.g++\n`);
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  process.stderr.write('solc wrapper: only --version and --standard-json are supported\n');
  process.exit(1);
}

const roots = [];
for (let i = 0; i < args.length; i++) {
  if ((args[i] === '--base-path' || args[i] === '--include-path') && args[i + 1]) roots.push(args[++i]);
}
roots.push(process.cwd());

function findImports(p) {
  for (const r of path.isAbsolute(p) ? [''] : roots) {
    const f = path.resolve(r, p);
    if (fs.existsSync(f)) return { contents: fs.readFileSync(f, 'utf8') };
  }
  return { error: `File not found: ${p}` };
}

const input = fs.readFileSync(0, 'utf8');
process.stdout.write(solc.compile(input, { import: findImports }));
