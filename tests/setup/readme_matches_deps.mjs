// README's "What gets installed" against what is really installed and downloaded: every package
// group of `scripts/deps.sh list` with exactly its Debian packages, every pinned source tarball with
// its version, every npm dependency of scripts/, tests/browser/ and bench/peers/ at its pinned version — and
// nothing in that section that is not. Prints each mismatch; exit 1 if any.
//   node tests/setup/readme_matches_deps.mjs [REPO_ROOT]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] || path.join(path.dirname(new URL(import.meta.url).pathname), '../..'));
const readme = path.join(root, 'README.md');
const heading = '## What gets installed';
const problems = [];

const lines = readFileSync(readme, 'utf8').split('\n');
const start = lines.indexOf(heading);
if (start < 0) {
  console.error(`${readme}: no "${heading}" section`);
  process.exit(1);
}
let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
if (end < 0) end = lines.length;
const section = lines.slice(start, end).map((text, i) => ({ text, where: `README.md:${start + i + 1}` }));
const sectionText = section.map(l => l.text).join('\n');

// 1. Debian packages: a row "| `GROUP` | ... | `pkg pkg ...` ... |" per group of scripts/deps.sh.
const list = execFileSync('bash', [path.join(root, 'scripts/deps.sh'), 'list'], { encoding: 'utf8' }).trim().split('\n');
const groups = new Map(list.filter(l => l.startsWith('packages ')).map(l => {
  const m = /^packages (\S+): (.*)$/.exec(l);
  return [m[1], m[2].trim().split(/\s+/).sort().join(' ')];
}));
const rows = new Map();
for (const l of section) {
  const m = /^\| `([a-z]+)` \|.*\| `([^`]+)`[^|]*\|\s*$/.exec(l.text);
  if (m) rows.set(m[1], { pkgs: m[2].trim().split(/\s+/).sort().join(' '), where: l.where });
}
for (const [group, pkgs] of groups) {
  const row = rows.get(group);
  if (!row) problems.push(`README.md: no table row for package group '${group}' (scripts/deps.sh installs: ${pkgs})`);
  else if (row.pkgs !== pkgs) problems.push(`${row.where}: group '${group}' lists "${row.pkgs}" but scripts/deps.sh installs "${pkgs}"`);
}
for (const [group, row] of rows) {
  if (!groups.has(group)) problems.push(`${row.where}: package group '${group}' is not in scripts/deps.sh (groups: ${[...groups.keys()].join(', ')})`);
}

// 2. Pinned source tarballs: each on a README line together with its version; no other tarball named.
const sources = list.filter(l => l.startsWith('source ')).map(l => {
  const [, project, version, file] = l.split(' ');
  return { project, version, file };
});
if (sources.length === 0) problems.push('scripts/deps.sh list printed no pinned sources');
for (const s of sources) {
  if (!section.some(l => l.text.includes(`\`${s.file}\``) && l.text.includes(s.version)))
    problems.push(`README.md: no line names ${s.project} ${s.version} with its tarball \`${s.file}\` (pinned in scripts/deps.sh)`);
}
for (const l of section) {
  for (const m of l.text.matchAll(/`([^`\s]+\.orig\.tar\.[a-z]+)`/g)) {
    if (!sources.some(s => s.file === m[1])) problems.push(`${l.where}: names ${m[1]}, which scripts/deps.sh does not pin`);
  }
}

// 3. npm packages: each direct dependency as `name@version`, the version its package.json pins.
const npmDirs = ['scripts', 'tests/browser', 'bench/peers'];
const npm = [];
for (const dir of npmDirs) {
  const pkg = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
  for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
    if (!/^\d+\.\d+\.\d+$/.test(version)) problems.push(`${dir}/package.json: ${name} is "${version}", not an exact version`);
    npm.push(`${name}@${version}`);
    if (!sectionText.includes(`\`${name}@${version}\``)) problems.push(`README.md: no \`${name}@${version}\` (${dir}/package.json)`);
  }
}
for (const l of section) {
  for (const m of l.text.matchAll(/`((?:@[a-z0-9-]+\/)?[a-z0-9.-]+)@(\d[^`]*)`/g)) {
    if (!npm.includes(`${m[1]}@${m[2]}`)) problems.push(`${l.where}: names ${m[1]}@${m[2]}, which is not a dependency in ${npmDirs.map(d => d + '/package.json').join(' or ')}`);
  }
}

for (const p of problems) console.error(p);
console.log(problems.length === 0
  ? `README "What gets installed" matches: ${groups.size} package groups, ${sources.length} pinned tarballs, ${npm.length} npm packages`
  : `${problems.length} mismatch(es) between README "What gets installed" and what is installed`);
process.exit(problems.length === 0 ? 0 : 1);
