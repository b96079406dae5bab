// Compiles MDTToken.sol and EpochPayout.sol with the pinned solc-js and writes one
// artifact per contract (ABI, creation and runtime bytecode, compiler version,
// settings, sha256 of every source used).
//
//   node compile.js [OUT_DIR]      (OUT_DIR defaults to ./artifacts)
//
// The output depends only on the sources and the pinned packages, byte for byte:
// `cargo xtask contracts --check` recompiles and compares with the checked-in files.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const solc = require('solc');

const HERE = __dirname;
const SOLC_VERSION = '0.8.37';
const OZ_PREFIX = '@openzeppelin/contracts/';
const OZ_DIR = path.join(HERE, 'node_modules', '@openzeppelin', 'contracts');
/** [source file, contract name] of each artifact. */
const CONTRACTS = [
  ['MDTToken.sol', 'MDTToken'],
  ['EpochPayout.sol', 'EpochPayout'],
];
/** The settings that shape the bytecode; recorded in every artifact. */
const SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  metadata: { bytecodeHash: 'none' },
};

function fail(message) {
  console.error(`compile.js: ${message}`);
  process.exit(1);
}

function sha256(text) {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Resolves `@openzeppelin/contracts/...` imports from node_modules, nothing else. */
function findImports(unitName) {
  if (!unitName.startsWith(OZ_PREFIX) || unitName.split('/').includes('..')) {
    return { error: `import outside ${OZ_PREFIX}: ${unitName}` };
  }
  const file = path.join(OZ_DIR, unitName.slice(OZ_PREFIX.length));
  try {
    return { contents: fs.readFileSync(file, 'utf8') };
  } catch (err) {
    return { error: `cannot read ${file}: ${err.message}` };
  }
}

function main() {
  const outDir = path.resolve(process.argv[2] || path.join(HERE, 'artifacts'));
  const version = solc.version();
  if (!version.startsWith(`${SOLC_VERSION}+`)) {
    fail(`solc-js ${version} is not the pinned ${SOLC_VERSION}; run \`npm ci\` in contracts/`);
  }
  const ozVersion = JSON.parse(fs.readFileSync(path.join(OZ_DIR, 'package.json'), 'utf8')).version;

  const sources = {};
  for (const [file] of CONTRACTS) {
    sources[file] = { content: fs.readFileSync(path.join(HERE, file), 'utf8') };
  }
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      ...SETTINGS,
      outputSelection: {
        '*': { '*': ['abi', 'metadata', 'evm.bytecode.object', 'evm.deployedBytecode.object',
          'evm.deployedBytecode.immutableReferences'] },
      },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const problems = output.errors || [];
  for (const problem of problems) console.error(problem.formattedMessage || problem.message);
  if (problems.length > 0) fail(`${problems.length} error(s) or warning(s); nothing written`);

  // The text of every source unit that took part, as solc read it.
  const texts = {};
  for (const [file, { content }] of Object.entries(sources)) texts[file] = content;
  for (const unit of Object.keys(output.sources)) {
    if (!(unit in texts)) texts[unit] = findImports(unit).contents;
  }

  fs.mkdirSync(outDir, { recursive: true });
  for (const [file, name] of CONTRACTS) {
    const contract = output.contracts[file] && output.contracts[file][name];
    if (!contract) fail(`no contract ${name} in ${file}`);
    const used = Object.keys(JSON.parse(contract.metadata).sources).sort();
    const sourceSha256 = {};
    for (const unit of used) sourceSha256[unit] = sha256(texts[unit]);
    const artifact = {
      contractName: name,
      sourceName: file,
      compiler: { name: 'solc-js', version },
      settings: SETTINGS,
      openzeppelinContracts: ozVersion,
      sourceSha256,
      abi: contract.abi,
      bytecode: `0x${contract.evm.bytecode.object}`,
      deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
      // Byte ranges of deployedBytecode that the constructor fills (immutables, zero
      // here): mask them to compare with the code at an address.
      immutableReferences: contract.evm.deployedBytecode.immutableReferences,
    };
    const target = path.join(outDir, `${name}.json`);
    fs.writeFileSync(target, `${JSON.stringify(artifact, null, 2)}\n`);
    console.log(`wrote ${target} (${contract.evm.deployedBytecode.object.length / 2} bytes deployed)`);
  }
}

main();
