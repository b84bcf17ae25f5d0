#!/usr/bin/env node
// Compiles the AgentNexus contracts with solc-js (0.8.24, optimizer 200 runs, evmVersion cancun) and writes
// the web3j codegen inputs to ../src/main/resources/contracts/<Name>.abi and <Name>.bin.
// Output is deterministic: source unit names are repository-relative, so the metadata hash embedded in the
// bytecode does not depend on where the repository is checked out.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const solc = require('solc');

const ROOT = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = resolve(ROOT, '..', 'src', 'main', 'resources', 'contracts');
const CONTRACTS = ['AgentNexusEscrow', 'AgentNexusEntitlements'];
const EXPECTED_VERSION = '0.8.24+commit.e11b9ed9';

if (!solc.version().startsWith(EXPECTED_VERSION)) {
  console.error(`solc-js version ${solc.version()} != ${EXPECTED_VERSION}; run npm ci`);
  process.exit(1);
}

const sources = {};
for (const name of CONTRACTS) {
  const unit = `src/${name}.sol`;
  sources[unit] = { content: readFileSync(join(ROOT, unit), 'utf8') };
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};

// Resolves `@openzeppelin/...` from node_modules; everything else relative to the contracts root.
function findImports(path) {
  const candidates = path.startsWith('@') ? [join(ROOT, 'node_modules', path)] : [join(ROOT, path)];
  for (const file of candidates) {
    if (existsSync(file)) return { contents: readFileSync(file, 'utf8') };
  }
  return { error: `File not found: ${path}` };
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = output.errors ?? [];
for (const e of errors) console.error(e.formattedMessage);
if (errors.some((e) => e.severity === 'error')) process.exit(1);

mkdirSync(OUT_DIR, { recursive: true });
for (const name of CONTRACTS) {
  const artifact = output.contracts?.[`src/${name}.sol`]?.[name];
  if (!artifact || !artifact.evm.bytecode.object) {
    console.error(`no output for ${name}`);
    process.exit(1);
  }
  const abiFile = join(OUT_DIR, `${name}.abi`);
  const binFile = join(OUT_DIR, `${name}.bin`);
  writeFileSync(abiFile, JSON.stringify(artifact.abi, null, 2) + '\n');
  // No trailing newline: web3j embeds the file content verbatim as the BINARY constant.
  writeFileSync(binFile, artifact.evm.bytecode.object);
  console.log(`wrote ${abiFile} (${artifact.abi.length} entries), ${binFile} (${artifact.evm.bytecode.object.length / 2} bytes)`);
}
