/**
 * `npm run posture:docs [--check]`: writes the posture rule table into
 * docs/infrastructure.md from posture/rules (with --check, exits 1 when the file is stale
 * instead of writing it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withRuleTable } from './rule-table.js';
import { POSTURE_RULES } from './rules/index.js';

const USAGE = `usage: npm run posture:docs [-- --check]

Writes the table of posture rules into docs/infrastructure.md, between its
posture-rules markers, from posture/rules/*.ts.
  --check   write nothing; exit 1 when the table in the file differs from the rules
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const unknown = args.filter((arg) => arg !== '--check');
if (unknown.length > 0) {
  process.stderr.write(`unknown argument ${unknown.join(' ')}\n${USAGE}`);
  process.exit(2);
}

const file = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'docs', 'infrastructure.md');
const current = readFileSync(file, 'utf8');
const generated = withRuleTable(current, POSTURE_RULES);
if (args.includes('--check')) {
  if (generated !== current) {
    process.stderr.write(`${file}: the posture rule table is stale; run \`npm run posture:docs\`\n`);
    process.exit(1);
  }
  process.stdout.write(`${file}: the posture rule table matches ${POSTURE_RULES.length} rules\n`);
} else {
  writeFileSync(file, generated);
  process.stdout.write(`${file}: wrote ${POSTURE_RULES.length} posture rules\n`);
}
