import type { CatalogIssue } from './types.js';

/** Thrown when the catalog breaks any rule; carries every issue found, not just the first. */
export class CatalogValidationError extends Error {
  readonly issues: readonly CatalogIssue[];

  constructor(directory: string, issues: readonly CatalogIssue[]) {
    const lines = issues.map((issue) => `  - ${formatIssue(issue)}`);
    super(`The tenant catalog at ${directory} has ${issues.length} error(s):\n${lines.join('\n')}`);
    this.name = 'CatalogValidationError';
    this.issues = issues;
  }
}

export function formatIssue(issue: CatalogIssue): string {
  return issue.field ? `${issue.file}: ${issue.field}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}
