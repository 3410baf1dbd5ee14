/** docs/infrastructure.md's rule table is the one the rules generate (npm run posture:docs). */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PostureRule } from './model.js';
import { RULE_TABLE_END, RULE_TABLE_START, ruleTableMarkdown, withRuleTable } from './rule-table.js';
import { POSTURE_RULES } from './rules/index.js';

const DOCS = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'docs', 'infrastructure.md');

const RULE: PostureRule = {
  kind: 'resource',
  id: 'CKV_AWS_1',
  alsoKnownAs: ['X-1'],
  relatedTo: ['Y-2'],
  resourceTypes: ['aws_thing'],
  title: 'A | B',
  fix: 'set a = true',
  productionOnly: true,
  check: () => undefined,
};

describe('the rule table', () => {
  it('gives each rule its ids, related checks, resource types, title and fix, escaping pipes', () => {
    expect(ruleTableMarkdown([RULE]).split('\n')[2]).toBe('| `CKV_AWS_1` | X-1 | Y-2 | `aws_thing` | A \\| B (production only) | set a = true |');
  });

  it('replaces only the text between the markers', () => {
    const document = `intro\n${RULE_TABLE_START}\nold table\n${RULE_TABLE_END}\noutro\n`;
    expect(withRuleTable(document, [RULE])).toBe(`intro\n${RULE_TABLE_START}\n${ruleTableMarkdown([RULE])}\n${RULE_TABLE_END}\noutro\n`);
  });

  it('fails if the document has no markers, saying which lines to add', () => {
    expect(() => withRuleTable('no table here', [RULE])).toThrow(RULE_TABLE_START);
  });

  it('in docs/infrastructure.md matches the rules (run `npm run posture:docs` when this fails)', () => {
    const document = readFileSync(DOCS, 'utf8');
    expect(document).toBe(withRuleTable(document, POSTURE_RULES));
  });
});
