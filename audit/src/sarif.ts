/**
 * A SARIF 2.1.0 log from rules and results, as GitHub code scanning reads it. Shared by
 * `tenantry-audit` and `npm run posture` (exported as `@tenantry/audit/sarif`), so both
 * upload with the same shape; each caller decides where its results are located.
 */
import { createHash } from 'node:crypto';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifRuleInput {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** How to fix a finding (goes into help, with the ids of the same control in other tools). */
  readonly fix: string;
  readonly level: SarifLevel;
  readonly alsoKnownAs?: readonly string[];
  readonly tags?: readonly string[];
}

export interface SarifLocationInput {
  /** Path relative to the repository root (forward slashes), or any URI reference. */
  readonly uri: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** The object in the tool's own terms (a Terraform address, a table, a role). */
  readonly logicalName: string;
  readonly logicalKind: string;
  /** Further facts: construct path, JSON pointer, stack. */
  readonly properties?: Readonly<Record<string, string>>;
}

export interface SarifResultInput {
  readonly ruleId: string;
  readonly message: string;
  readonly location: SarifLocationInput;
}

export interface SarifToolInput {
  readonly name: string;
  readonly version: string;
  /** Absolute URL of the tool's documentation, when it has one. */
  readonly informationUri?: string;
  /** Distinguishes runs of the same tool in code scanning, e.g. `tenantry-audit/prod`. */
  readonly category: string;
}

/** GitHub ranks security alerts by this property (0–10). */
const SECURITY_SEVERITY: Record<SarifLevel, string> = { error: '8.0', warning: '5.0', note: '2.0' };

function helpText(rule: SarifRuleInput): { text: string; markdown: string } {
  const same = rule.alsoKnownAs && rule.alsoKnownAs.length > 0 ? rule.alsoKnownAs.join(', ') : undefined;
  const text = [`Fix: ${rule.fix}`, same ? `Same control: ${same}` : ''].filter(Boolean).join('\n');
  const markdown = [`**Why:** ${rule.description}`, '', `**Fix:** ${rule.fix}`, same ? `\n**Same control in other tools:** ${same}` : ''].join('\n');
  return { text, markdown };
}

/** Stable across runs for the same rule and object, so code scanning tracks one alert. */
const fingerprint = (result: SarifResultInput): string => createHash('sha256').update(`${result.ruleId}\u0000${result.location.logicalName}`).digest('hex').slice(0, 32);

export function sarifLog(tool: SarifToolInput, rules: readonly SarifRuleInput[], results: readonly SarifResultInput[]): Record<string, unknown> {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.description },
              help: helpText(rule),
              defaultConfiguration: { level: rule.level },
              properties: { tags: ['security', ...(rule.tags ?? [])], 'security-severity': SECURITY_SEVERITY[rule.level], ...(rule.alsoKnownAs ? { alsoKnownAs: [...rule.alsoKnownAs] } : {}) },
            })),
          },
        },
        automationDetails: { id: `${tool.category}/` },
        columnKind: 'utf16CodeUnits',
        results: results.map((result) => {
          const ruleIndex = index.get(result.ruleId);
          if (ruleIndex === undefined) throw new Error(`SARIF result names rule ${result.ruleId}, which is not among the ${rules.length} rules of ${tool.name}`);
          const rule = rules[ruleIndex] as SarifRuleInput;
          return {
            ruleId: result.ruleId,
            ruleIndex,
            level: rule.level,
            message: { text: result.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: result.location.uri },
                  ...(result.location.line === undefined ? {} : { region: { startLine: result.location.line } }),
                },
                logicalLocations: [{ name: result.location.logicalName, fullyQualifiedName: result.location.logicalName, kind: result.location.logicalKind }],
                ...(result.location.properties ? { properties: { ...result.location.properties } } : {}),
              },
            ],
            partialFingerprints: { 'tenantryFinding/v1': fingerprint(result) },
          };
        }),
      },
    ],
  };
}
