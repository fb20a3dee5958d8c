// Peer for `embedlab bench`: tsne-js 1.0.3 (npm; exact O(N^2) t-SNE in JavaScript) on the UCI digits.
// Install once: npm install --prefix bench/peers   (node_modules/ is not committed)
// Usage: node bench/peers/tsne_js.mjs OUT.csv [DIGITS.csv]
// Prints BENCH tsne.digits.tsnejs.seconds and .iterations, and writes the embedding as label,x,y to
// OUT.csv so that the bench suite scores it with the same trustworthiness / k-NN code as ours.
// Settings as close to ours as tsne-js allows: perplexity 30, early exaggeration 12, 1000 iterations,
// learning rate 200 (tsne-js has no 'auto'; 200 is the classic default), random init (its only
// option, from Math.random: not seedable). tsne-js stops early after 30 checks without progress.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));
const TSNE = require('tsne-js');

const out = process.argv[2];
const input = process.argv[3] || join(here, '..', '..', 'assets', 'data', 'digits.csv');
const lines = readFileSync(input, 'utf8').split('\n').filter((l) => l.trim() !== '');
const rows = lines.slice(1).map((l) => l.split(','));
const labels = rows.map((r) => r[0]);
const data = rows.map((r) => r.slice(1).map(Number));

const t0 = process.hrtime.bigint();
const model = new TSNE({ dim: 2, perplexity: 30.0, earlyExaggeration: 12.0, learningRate: 200.0, nIter: 1000, metric: 'euclidean' });
model.init({ data, type: 'dense' });
const [error, iter] = model.run();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const y = model.getOutput();
console.log(`BENCH tsne.digits.tsnejs.seconds ${seconds.toFixed(4)} s`);
console.log(`BENCH tsne.digits.tsnejs.iterations ${iter} count`);
console.log(`BENCH tsne.digits.tsnejs.kl ${Number(error).toFixed(5)} nats`);
if (out) writeFileSync(out, 'label,x,y\n' + y.map((p, i) => `${labels[i]},${p[0]},${p[1]}`).join('\n') + '\n');
