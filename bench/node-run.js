// node-run.js: runs one benchmark, a WASI command, under node (V8) with node's built-in
// WASI (preview1): _start gets FILE and SCALE as argv, main prints the checksum, and
// the guest's exit status becomes node's. Usage:
//   node --no-liftoff --no-warnings bench/node-run.js bench/out/NAME.wasm SCALE
// (--no-liftoff: otherwise a hot loop inside one long call can stay in the baseline tier;
// --no-warnings: node:wasi prints an "experimental" warning on every run.)
'use strict';
const fs = require('fs');
const { WASI } = require('node:wasi');

function main() {
  const [file, scaleText] = process.argv.slice(2);
  if (!file || scaleText === undefined) {
    console.error('usage: node --no-liftoff --no-warnings node-run.js FILE.wasm SCALE');
    process.exit(2);
  }
  // No preopens and no environment: the guest gets what `taho run` gives it by default.
  const wasi = new WASI({ version: 'preview1', args: [file, scaleText], env: {},
                          returnOnExit: true });
  const module = new WebAssembly.Module(fs.readFileSync(file));
  const instance = new WebAssembly.Instance(module, wasi.getImportObject());
  process.exitCode = wasi.start(instance);
}

main();
