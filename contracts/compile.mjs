#!/usr/bin/env node
// Compiles contracts/src/*.sol with solc-js (the version pinned in package.json) and writes one JSON file
// per deployable contract (name, ABI, creation bytecode) where io.taintwatch.embedded.devnet (module monitor-devnet) loads them.
//   npm ci && node compile.mjs           regenerate the committed output
//   node compile.mjs --check             fail if the committed output differs from a fresh compile
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

const here = path.dirname(fileURLToPath(import.meta.url));
const srcDir = path.join(here, 'src');
const outDir = path.join(here, '..', 'monitor-devnet', 'src', 'main', 'resources', 'io', 'taintwatch', 'embedded', 'devnet', 'contracts');
const check = process.argv.includes('--check');

const sources = {};
for (const f of fs.readdirSync(srcDir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[f] = { content: fs.readFileSync(path.join(srcDir, f), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    // cancun: what every current node (anvil included) runs; no newer opcodes needed
    evmVersion: 'cancun',
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: (p) => {
  const file = path.join(srcDir, path.basename(p));
  return fs.existsSync(file) ? { contents: fs.readFileSync(file, 'utf8') } : { error: 'not found: ' + p };
} }));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const e of output.errors || []) console.error(e.formattedMessage);
if (errors.length) process.exit(1);

const expected = new Map();
for (const [sourceName, contracts] of Object.entries(output.contracts)) {
  for (const [name, c] of Object.entries(contracts)) {
    if (!c.evm.bytecode.object) continue; // abstract contracts and interfaces
    const json = { contractName: name, sourceName: 'contracts/src/' + sourceName, compiler: 'solc ' + solc.version(),
      abi: c.abi, bytecode: '0x' + c.evm.bytecode.object };
    expected.set(name + '.json', JSON.stringify(json, null, 1) + '\n');
  }
}
if (check) {
  const present = fs.existsSync(outDir) ? fs.readdirSync(outDir).filter((f) => f.endsWith('.json')) : [];
  const stale = [...expected.keys()].filter((f) => !present.includes(f) || fs.readFileSync(path.join(outDir, f), 'utf8') !== expected.get(f));
  const extra = present.filter((f) => !expected.has(f));
  if (stale.length || extra.length) {
    console.error('compiled contracts are stale: ' + [...stale, ...extra].join(', ') + ' (run: node contracts/compile.mjs)');
    process.exit(1);
  }
  console.log(expected.size + ' compiled contracts up to date');
} else {
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of fs.readdirSync(outDir).filter((f) => f.endsWith('.json'))) fs.rmSync(path.join(outDir, f));
  for (const [f, text] of expected) fs.writeFileSync(path.join(outDir, f), text);
  console.log('wrote ' + expected.size + ' contracts to ' + path.relative(process.cwd(), outDir) + ' with solc ' + solc.version());
}
