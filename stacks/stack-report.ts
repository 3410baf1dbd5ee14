/**
 * `npm run synth:report [outdir]`: a table of the stacks in a cdktf output directory with
 * their resource and data source counts, for capacity notes and reviews.
 */
import { resolve } from 'node:path';
import type { StackJson } from '../synth-model/stack-json.js';
import { readStackFiles } from '../synth-model/stack-files.js';

const outdir = resolve(process.argv[2] ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out');
const count = (blocks: StackJson['resource']): number => Object.values(blocks ?? {}).reduce((sum, instances) => sum + Object.keys(instances).length, 0);

const rows = [...readStackFiles(outdir)].map(([name, text]) => {
  const json = JSON.parse(text) as StackJson;
  return { name, resources: count(json.resource), data: count(json.data), kib: (text.length / 1024).toFixed(1) };
});
const width = Math.max(5, ...rows.map((row) => row.name.length));
const line = (cells: string[]): string => `| ${cells[0]?.padEnd(width)} | ${cells.slice(1).map((cell) => cell.padStart(9)).join(' | ')} |`;
process.stdout.write(`${line(['stack', 'resources', 'data', 'KiB'])}\n|${'-'.repeat(width + 2)}|${Array(3).fill('-'.repeat(11)).join('|')}|\n`);
for (const row of rows) process.stdout.write(`${line([row.name, String(row.resources), String(row.data), row.kib])}\n`);
const total = rows.reduce((sum, row) => sum + row.resources, 0);
process.stdout.write(`${line(['total', String(total), String(rows.reduce((sum, row) => sum + row.data, 0)), ''])}\n`);
