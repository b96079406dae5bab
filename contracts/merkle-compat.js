// The claims-tree crate's compatibility check against @openzeppelin/merkle-tree (pinned in
// package.json). Prints one JSON object: the root, every value's proof (in the order of the
// tree's values) and, for `of`, the library's own dump.
//
//   node merkle-compat.js load DUMP.json    StandardMerkleTree.load of a dump file
//   node merkle-compat.js of VALUES.json    StandardMerkleTree.of a [[address, amount], ...] file
'use strict';

const fs = require('fs');
const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');

const [mode, file] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(file, 'utf8'));
let tree;
if (mode === 'load') {
  tree = StandardMerkleTree.load(input);
} else if (mode === 'of') {
  tree = StandardMerkleTree.of(input, ['address', 'uint256']);
} else {
  console.error('usage: node merkle-compat.js load DUMP.json | of VALUES.json');
  process.exit(2);
}
const proofs = [];
for (const [i, value] of tree.entries()) {
  const proof = tree.getProof(i);
  if (!StandardMerkleTree.verify(tree.root, ['address', 'uint256'], value, proof)) {
    throw new Error(`the library's own proof of value ${i} does not verify`);
  }
  proofs.push({ value, proof });
}
const out = { root: tree.root, proofs };
if (mode === 'of') {
  out.dump = tree.dump();
}
console.log(JSON.stringify(out));
