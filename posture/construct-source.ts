/**
 * Maps a cdktf construct path (`data-prod/SharedAurora/Cluster`, from each resource's
 * `//.metadata.path`) back to the line of TypeScript that created it, by reading the
 * `new X(this, 'Id', …)` calls in stacks/ and constructs/: the stack's child is looked up
 * in the stack classes, each further id in the class the previous step constructed.
 * Ids built from template literals match as patterns. The deepest step found wins; when
 * not even the first is found the caller falls back to the synthesized file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

interface Construction {
  /** Path relative to the repository root, forward slashes. */
  readonly file: string;
  readonly line: number;
  /** Class constructed (`AuroraPostgres`). */
  readonly constructs: string;
  /** Class (or file, for functions) whose code makes the call. */
  readonly within: string | undefined;
  readonly id: RegExp;
}

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

const NEW_CALL = /new\s+([A-Z]\w*)\s*\(\s*(?:this|scope|stack)\s*,\s*(['"`])((?:(?!\2)[^\\]|\\.)*)\2/g;
const CLASS_DECLARATION = /\bclass\s+([A-Z]\w*)/g;

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts') && !entry.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** `${prefix}-db` → /^.+-db$/ ; plain ids match exactly. */
function idPattern(literal: string, templated: boolean): RegExp {
  if (!templated) return new RegExp(`^${literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const parts = literal.split(/\$\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`);
}

const pascal = (name: string): string => name.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');

export class ConstructSourceIndex {
  private readonly calls: Construction[] = [];
  /** Class name → files declaring it. */
  private readonly declaredIn = new Map<string, string[]>();

  /** Indexes `stacks/` and `constructs/` under `repositoryRoot`. */
  constructor(repositoryRoot: string, directories: readonly string[] = ['stacks', 'constructs']) {
    for (const directory of directories) {
      let files: string[];
      try {
        files = sourceFiles(join(repositoryRoot, directory));
      } catch {
        continue;
      }
      for (const path of files) this.indexFile(relative(repositoryRoot, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  }

  private indexFile(file: string, text: string): void {
    const classes = [...text.matchAll(CLASS_DECLARATION)].map((m) => ({ name: m[1] as string, at: m.index }));
    for (const { name } of classes) this.declaredIn.set(name, [...(this.declaredIn.get(name) ?? []), file]);
    for (const match of text.matchAll(NEW_CALL)) {
      const within = classes.filter((c) => c.at < match.index).at(-1)?.name;
      this.calls.push({
        file,
        line: text.slice(0, match.index).split('\n').length,
        constructs: match[1] as string,
        within,
        id: idPattern(match[3] as string, match[2] === '`'),
      });
    }
  }

  /** Where the construct at `constructPath` was created, as deep as the index can follow it. */
  locate(constructPath: string): SourceLocation | undefined {
    const [stack, first, ...rest] = constructPath.split('/');
    if (stack === undefined || first === undefined) return undefined;
    const stackClassPrefix = pascal(stack.replace(/-[^-]+$/, '').replace(/^tenant-.*/, 'tenant'));
    const topLevel = this.calls.filter((c) => c.file.startsWith('stacks/') && c.id.test(first));
    const preferred = topLevel.filter((c) => c.within?.startsWith(stackClassPrefix) === true);
    const start = preferred[0] ?? topLevel[0];
    if (!start) return undefined;
    let current: Construction = start;
    for (const id of rest) {
      const className: string = current.constructs;
      const files = new Set(this.declaredIn.get(className) ?? []);
      const next: Construction | undefined = this.calls.find((c) => files.has(c.file) && c.within === className && c.id.test(id));
      if (!next) break;
      current = next;
    }
    return { file: current.file, line: current.line };
  }
}
