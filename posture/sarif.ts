/**
 * Posture findings as SARIF 2.1.0 for GitHub code scanning: one rule per posture rule
 * (its checkov / cdk-nag / Trivy ids in the help), each result located at the TypeScript
 * line that created the resource (ConstructSourceIndex), else at the resource's line in
 * the synthesized `cdk.tf.json`; the Terraform address, construct path and JSON pointer
 * travel with it as properties.
 */
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sarifLog, type SarifResultInput, type SarifRuleInput } from '@tenantry/audit/sarif';
import type { ConstructSourceIndex } from './construct-source.js';
import type { Finding, PostureRule, StackJson } from './model.js';
import { POSTURE_RULES } from './rules/index.js';

/** Which tool an id belongs to, by its form. */
function toolOf(id: string): string {
  if (id.startsWith('CKV')) return 'checkov';
  if (id.startsWith('AVD-')) return 'Trivy';
  if (id.startsWith('TENANTRY_')) return 'Tenantry';
  return 'cdk-nag';
}

function ruleInput(rule: PostureRule): SarifRuleInput {
  const scope = rule.kind === 'resource' ? `every ${rule.resourceTypes.join(', ')}` : 'the whole stack';
  const when = rule.productionOnly ? ' of production environments' : '';
  return {
    id: rule.id,
    title: rule.title,
    description: `${rule.title}. Checked on ${scope} in each synthesized stack${when}.`,
    fix: rule.fix,
    level: 'error',
    alsoKnownAs: [rule.id, ...(rule.alsoKnownAs ?? [])].filter((id) => !id.startsWith('TENANTRY_')).map((id) => `${toolOf(id)} ${id}`),
    tags: ['infrastructure', 'terraform'],
  };
}

/** A JSON pointer (RFC 6901) of `segments`. */
const pointer = (segments: readonly string[]): string => segments.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** `aws_kms_key.key` or a dotted path such as `resource.aws_x.y.tags[0]` → JSON segments. */
function segmentsOf(address: string, json: StackJson): string[] {
  const [type, name, ...more] = address.split('.');
  if (type && name && more.length === 0 && json.resource?.[type]?.[name] !== undefined) return ['resource', type, name];
  return address.split(/\.|\[(\d+)\]/).filter((s): s is string => s !== undefined && s !== '');
}

/** The construct path cdktf recorded for the block at `segments`, if it is a resource or data source. */
function constructPathOf(segments: readonly string[], json: StackJson): string | undefined {
  const [block, type, name] = segments;
  if ((block !== 'resource' && block !== 'data') || !type || !name) return undefined;
  const entry = json[block]?.[type]?.[name] as { '//'?: { metadata?: { path?: unknown } } } | undefined;
  const path = entry?.['//']?.metadata?.path;
  return typeof path === 'string' ? path : undefined;
}

/** 1-based line of the block's key in the pretty-printed synthesized file. */
function lineInFile(text: string, segments: readonly string[]): number | undefined {
  let from = 0;
  for (const segment of segments.slice(0, 3)) {
    const at = text.indexOf(`"${segment}":`, from);
    if (at < 0) return undefined;
    from = at;
  }
  return text.slice(0, from).split('\n').length;
}

/** A repository-relative path, or a file: URI when the file lies outside the repository. */
function uriOf(file: string, repositoryRoot: string): string {
  const path = relative(repositoryRoot, file);
  return path.startsWith('..') ? pathToFileURL(file).href : path.split(sep).join('/');
}

export interface PostureSarifInput {
  readonly findings: readonly Finding[];
  /** Stack name → text of its cdk.tf.json. */
  readonly stackFiles: ReadonlyMap<string, string>;
  readonly outdir: string;
  readonly repositoryRoot: string;
  readonly sources: ConstructSourceIndex;
}

export function postureSarif(input: PostureSarifInput): Record<string, unknown> {
  const parsed = new Map<string, StackJson>();
  const jsonOf = (stack: string): StackJson => {
    const known = parsed.get(stack);
    if (known) return known;
    const json = JSON.parse(input.stackFiles.get(stack) ?? '{}') as StackJson;
    parsed.set(stack, json);
    return json;
  };
  const results: SarifResultInput[] = input.findings.map((finding) => {
    const json = jsonOf(finding.stack);
    const segments = segmentsOf(finding.address, json);
    const constructPath = constructPathOf(segments, json);
    const source = constructPath === undefined ? undefined : input.sources.locate(constructPath);
    const synthesized = join(input.outdir, 'stacks', finding.stack, 'cdk.tf.json');
    const location = source
      ? { uri: source.file, line: source.line }
      : { uri: uriOf(synthesized, input.repositoryRoot), line: lineInFile(input.stackFiles.get(finding.stack) ?? '', segments) };
    return {
      ruleId: finding.ruleId,
      message: `${finding.stack} ${finding.address}: ${finding.problem}. Fix: ${finding.fix}`,
      location: {
        ...location,
        logicalName: `${finding.stack}/${finding.address}`,
        logicalKind: 'resource',
        properties: {
          stack: finding.stack,
          terraformAddress: finding.address,
          jsonPointer: pointer(segments),
          synthesizedFile: uriOf(synthesized, input.repositoryRoot),
          ...(constructPath ? { constructPath } : {}),
        },
      },
    };
  });
  return sarifLog({ name: 'tenantry-posture', version: '0.1.0', category: 'tenantry-posture' }, POSTURE_RULES.map(ruleInput), results);
}
