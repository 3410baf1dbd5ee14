/**
 * Reading attribute values of synthesized Terraform JSON, where cdktf writes booleans
 * sometimes as `true` and sometimes as `"true"`, and a nested block as an object or as a
 * list of objects.
 */

/** Address ranges that mean the whole internet. */
export const INTERNET_CIDRS: readonly string[] = ['0.0.0.0/0', '::/0'];

export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** The blocks of a nested block attribute, whether written as one object or a list. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` is set to something (not absent, null or an empty string). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** Whether `value` is exactly one Terraform expression, `${…}`, with no literal around it. */
export function isExpressionOnly(value: string): boolean {
  if (!value.startsWith('${') || !value.endsWith('}')) return false;
  let depth = 0;
  for (let index = 0; index < value.length; index++) {
    if (value[index] === '$' && value[index + 1] === '{') {
      depth++;
      index++;
    } else if (value[index] === '{') depth++;
    else if (value[index] === '}') {
      depth--;
      if (depth === 0 && index < value.length - 1) return false;
    }
  }
  return depth === 0;
}

/** Whether `value` (any attribute) refers to resource `<type>.<name>`. */
export function refersTo(value: unknown, type: string, name: string): boolean {
  return JSON.stringify(value ?? null).includes(`${type}.${name}.`);
}

/** Numeric value of an attribute written as a number or a numeric string. */
export function numberValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
