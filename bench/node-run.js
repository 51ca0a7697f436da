// node-run.js: runs one benchmark reactor under node (V8): instantiate with no imports,
// call _initialize if exported, then run(scale), and print the checksum. Usage:
//   node --no-liftoff bench/node-run.js bench/out/NAME.wasm SCALE
// (--no-liftoff: otherwise a hot loop inside one long call can stay in the baseline tier.)
'use strict';
const fs = require('fs');

function main() {
  const [file, scaleText] = process.argv.slice(2);
  if (!file || scaleText === undefined) {
    console.error('usage: node --no-liftoff node-run.js FILE.wasm SCALE');
    process.exit(2);
  }
  const module = new WebAssembly.Module(fs.readFileSync(file));
  const instance = new WebAssembly.Instance(module, {});
  const exports = instance.exports;
  if (typeof exports._initialize === 'function') exports._initialize();
  console.log(String(exports.run(parseInt(scaleText, 10))));
}

main();
