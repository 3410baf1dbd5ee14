/** The report as text (people), JSON (scripts), SARIF (code scanning) or JUnit (CI test views). */
import type { AuditFinding, AuditReport } from './model.js';
import { AUDIT_RULES, auditRule } from './rules.js';
import { sarifLog } from './sarif.js';

export const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  /** Tool version written into SARIF. */
  readonly version: string;
  /** Environment audited, when known: part of the SARIF category and locations. */
  readonly environment?: string;
}

function text(report: AuditReport): string {
  const lines: string[] = [];
  for (const finding of report.findings) {
    const rule = auditRule(finding.ruleId);
    lines.push(`${rule.level.toUpperCase()} ${finding.ruleId}  ${finding.object.kind} ${finding.object.name}`, `    ${finding.problem}`, `    why: ${rule.why}`, `    fix: ${rule.fix}`);
  }
  for (const skipped of report.skipped) lines.push(`skipped: ${skipped}`);
  const { examined } = report;
  lines.push(
    `tenantry-audit: ${report.findings.length === 0 ? 'no findings' : `${report.findings.length} finding(s)`} in database ${report.database} ` +
      `(${examined.tenantTables} tenant tables, ${examined.policies} policies, ${examined.tenantSchemas} tenant schemas, ${examined.roles} roles, ${examined.probedTenants} probed tenants, ${report.queryCount} statements)`,
  );
  return `${lines.join('\n')}\n`;
}

function json(report: AuditReport): string {
  const findings = report.findings.map((f) => {
    const rule = auditRule(f.ruleId);
    return { ...f, level: rule.level, title: rule.title, why: rule.why, fix: rule.fix };
  });
  return `${JSON.stringify({ ...report, findings }, null, 2)}\n`;
}

/** Code scanning wants a file: each object gets a stable pseudo-path under `postgresql/`. */
function objectUri(finding: AuditFinding, report: AuditReport, environment: string | undefined): string {
  const path = [environment ?? report.database, finding.object.kind, finding.object.name].map((part) => encodeURIComponent(part)).join('/');
  return `postgresql/${path}`;
}

function sarif(report: AuditReport, options: FormatOptions): string {
  const log = sarifLog(
    { name: 'tenantry-audit', version: options.version, category: `tenantry-audit/${options.environment ?? report.database}` },
    AUDIT_RULES.map((rule) => ({ id: rule.id, title: rule.title, description: rule.why, fix: rule.fix, level: rule.level, tags: ['tenant-isolation', 'postgresql'], ...('alsoKnownAs' in rule ? { alsoKnownAs: rule.alsoKnownAs } : {}) })),
    report.findings.map((finding) => ({
      ruleId: finding.ruleId,
      message: finding.problem,
      location: {
        uri: objectUri(finding, report, options.environment),
        // Code scanning wants a line even where there is no source file.
        line: 1,
        logicalName: finding.object.name,
        logicalKind: finding.object.kind,
        properties: { database: report.database, ...(options.environment ? { environment: options.environment } : {}) },
      },
    })),
  );
  return `${JSON.stringify(log, null, 2)}\n`;
}

const xml = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One test case per rule: a rule with findings fails, listing them; the rest pass. */
function junit(report: AuditReport): string {
  const byRule = new Map<string, AuditFinding[]>();
  for (const f of report.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  const cases = AUDIT_RULES.map((rule) => {
    const found = byRule.get(rule.id) ?? [];
    const head = `    <testcase classname="tenantry-audit.${xml(report.database)}" name="${xml(`${rule.id}: ${rule.title}`)}">`;
    if (found.length === 0) return `${head}</testcase>`;
    const body = found.map((f) => `${f.object.kind} ${f.object.name}: ${f.problem}`).join('\n');
    return `${head}\n      <failure message="${xml(`${found.length} finding(s)`)}" type="${rule.level}">${xml(`${body}\nfix: ${rule.fix}`)}</failure>\n    </testcase>`;
  });
  const skipped = report.skipped.map((s) => `    <testcase classname="tenantry-audit.${xml(report.database)}" name="${xml(s)}"><skipped/></testcase>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tenantry-audit" tests="${cases.length + skipped.length}" failures="${byRule.size}">`,
    `  <testsuite name="tenantry-audit db ${xml(report.database)}" tests="${cases.length + skipped.length}" failures="${byRule.size}" skipped="${skipped.length}">`,
    ...cases,
    ...skipped,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function formatReport(report: AuditReport, format: Format, options: FormatOptions): string {
  switch (format) {
    case 'text':
      return text(report);
    case 'json':
      return json(report);
    case 'sarif':
      return sarif(report, options);
    case 'junit':
      return junit(report);
  }
}
