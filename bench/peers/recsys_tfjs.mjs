// TensorFlow.js peer for `embedlab bench` (the recsys suite): one training epoch of the same MF
// model on the same training file as src/cli/bench_recsys.cpp and bench/peers/recsys_torch.py.
// Install once: npm install --prefix bench/peers   (pinned by package-lock.json; node_modules/ is not committed)
// Usage: node bench/peers/recsys_tfjs.mjs DATA_DIR [--batches N] [--backends cpu,wasm]
//   DATA_DIR/train.csv: user,item,rating, one training rating a line (written by `embedlab bench`)
// Model (the layers API, as a TF.js user would write it): prediction = mean + b_u + b_i + <u, v>,
// u, v from tf.layers.embedding (dim 64, N(0, 0.1) init), biases from embeddings of width 1 (zeros),
// MSE, tf.train.adam(1e-3), batch 64, shuffled, model.trainOnBatch per mini-batch. The global mean
// is taken off the targets instead of added to the output (the same gradients).
// Not a whole epoch: the `cpu` backend (pure JS) spends ~2 s on one mini-batch here, because its
// UnsortedSegmentSum (the gradient of the embedding lookup, tf.gather) loops over every row of the
// table with whole-tensor ops: an epoch (1,250 batches) would take ~45 minutes. So each backend
// (@tensorflow/tfjs's `cpu`, and @tensorflow/tfjs-backend-wasm, single-threaded under node) runs 3
// untimed mini-batches, then --batches timed ones. Prints
//   BENCH recsys.mf.tfjs_<backend>.batch_ms <median> ms   (and _min, _max, _runs)
//   BENCH recsys.mf.tfjs_<backend>.seconds_extrapolated   median batch x batches per epoch
// and, where a backend cannot train this model, a NOTE line with TF.js's own error.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');

const args = process.argv.slice(2);
const dataDir = args[0];
let batchCount = 10;
let backends = ['cpu', 'wasm'];
for (let i = 1; i < args.length; ++i) {
  if (args[i] === '--batches') batchCount = Number(args[++i]);
  else if (args[i] === '--backends') backends = args[++i].split(',');
}
const USERS = 943, ITEMS = 1682, DIM = 64, BATCH = 64;

const lines = readFileSync(join(dataDir, 'train.csv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('user'));
const n = lines.length;
const users = new Int32Array(n), items = new Int32Array(n), ratings = new Float32Array(n);
let mean = 0;
lines.forEach((l, k) => {
  const [u, i, r] = l.split(',');
  users[k] = Number(u);
  items[k] = Number(i);
  ratings[k] = Number(r);
  mean += ratings[k];
});
mean /= n;

function build() {
  const u = tf.input({ shape: [1], dtype: 'int32' });
  const i = tf.input({ shape: [1], dtype: 'int32' });
  const init = tf.initializers.randomNormal({ mean: 0, stddev: 0.1 });
  const eu = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: USERS, outputDim: DIM, embeddingsInitializer: init }).apply(u));
  const ei = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: ITEMS, outputDim: DIM, embeddingsInitializer: init }).apply(i));
  const bu = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: USERS, outputDim: 1, embeddingsInitializer: 'zeros' }).apply(u));
  const bi = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: ITEMS, outputDim: 1, embeddingsInitializer: 'zeros' }).apply(i));
  const dot = tf.layers.dot({ axes: 1 }).apply([eu, ei]);
  const out = tf.layers.add().apply([dot, bu, bi]);
  const model = tf.model({ inputs: [u, i], outputs: out });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

// Seconds of each of `count` mini-batches (model.trainOnBatch) of a shuffled epoch, after `warm` untimed ones.
async function batches(warm, count) {
  const model = build();
  const perm = tf.util.createShuffledIndices(n);
  const seconds = [];
  let loss = 0;
  for (let b = 0; b < warm + count && (b + 1) * BATCH <= n; ++b) {
    const idx = perm.slice(b * BATCH, (b + 1) * BATCH);
    const xu = tf.tensor2d(Int32Array.from(idx, (k) => users[k]), [BATCH, 1], 'int32');
    const xi = tf.tensor2d(Int32Array.from(idx, (k) => items[k]), [BATCH, 1], 'int32');
    const y = tf.tensor2d(Float32Array.from(idx, (k) => ratings[k] - mean), [BATCH, 1]);
    const t0 = process.hrtime.bigint();
    loss = await model.trainOnBatch([xu, xi], y);
    if (b >= warm) seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    tf.dispose([xu, xi, y]);
  }
  model.dispose();
  return { seconds, loss };
}

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const perEpoch = Math.ceil(n / BATCH);
for (const backend of backends) {
  const name = `recsys.mf.tfjs_${backend}`;
  try {
    if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' did not initialise`);
    await tf.ready();
    const { seconds: s, loss } = await batches(3, batchCount);
    const m = median(s);
    console.log(`BENCH ${name}.batch_ms ${(1000 * m).toFixed(3)} ms`);
    console.log(`BENCH ${name}.batch_ms_min ${(1000 * Math.min(...s)).toFixed(3)} ms`);
    console.log(`BENCH ${name}.batch_ms_max ${(1000 * Math.max(...s)).toFixed(3)} ms`);
    console.log(`BENCH ${name}.batch_ms_runs ${s.length} count`);
    console.log(`BENCH ${name}.seconds_extrapolated ${(m * perEpoch).toFixed(4)} s`);
    console.log(`BENCH ${name}.loss_last_batch ${loss.toFixed(5)} mse`);
    console.log(`NOTE recsys.mf.tfjs_${backend}: ${s.length} timed mini-batches after 3 untimed, not a whole epoch; ` +
                `seconds_extrapolated = median batch x ${perEpoch} batches`);
  } catch (e) {
    const msg = String(e && e.message ? e.message : e).split('\n')[0];
    console.log(`NOTE TF.js ${backend} backend cannot train the MF (Embedding) model: ${msg}`);
  }
}
