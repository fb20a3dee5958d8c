// Checks that a binary PPM (P6) screenshot is not blank: enough distinct colours and contrast.
//   node tests/native/check_ppm.mjs FILE.ppm [min_colours]
import fs from 'node:fs';
const [file, minArg] = process.argv.slice(2);
const buf = fs.readFileSync(file);
const header = buf.subarray(0, 64).toString('latin1').split(/\s+/);
if (header[0] !== 'P6') { console.error(`${file}: not a P6 PPM`); process.exit(1); }
const w = Number(header[1]), h = Number(header[2]);
const offset = buf.length - w * h * 3;
const colours = new Set();
let sum = 0, sum2 = 0;
for (let i = offset; i < buf.length; i += 3) {
  colours.add((buf[i] << 16) | (buf[i + 1] << 8) | buf[i + 2]);
  const y = (buf[i] + buf[i + 1] + buf[i + 2]) / 765;
  sum += y; sum2 += y * y;
}
const n = w * h, sd = Math.sqrt(sum2 / n - (sum / n) ** 2);
const ok = colours.size >= Number(minArg || 100) && sd > 0.03;
console.log(`${file}: ${w}x${h}, ${colours.size} colours, luminance sd ${sd.toFixed(3)} — ${ok ? 'ok' : 'BLANK'}`);
process.exit(ok ? 0 : 1);
