import { describe, expect, it } from 'vitest';
import { blocks, isExpressionOnly, isTrue, numberValue, refersTo } from './values.js';

describe('isExpressionOnly()', () => {
  it.each([
    ['${random_password.p.result}', true],
    ['${jsonencode({"a" = {"b" = var.c}})}', true],
    ['${a.b}-${c.d}', false],
    ['prefix-${a.b}', false],
    ['${a.b}suffix', false],
    ['hunter2', false],
    ['', false],
  ])('%s → %s', (value, expected) => {
    expect(isExpressionOnly(value)).toBe(expected);
  });
});

describe('isTrue()', () => {
  it('accepts the boolean and the string cdktf writes for some attributes', () => {
    expect([true, 'true', false, 'false', undefined, 1].map(isTrue)).toEqual([true, true, false, false, false, false]);
  });
});

describe('blocks()', () => {
  it('reads a nested block written as one object or as a list', () => {
    expect(blocks({ a: 1 })).toEqual([{ a: 1 }]);
    expect(blocks([{ a: 1 }, { a: 2 }])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(blocks(undefined)).toEqual([]);
  });
});

describe('refersTo()', () => {
  it('finds a reference to one resource, not to another with a longer name', () => {
    expect(refersTo('${aws_vpc.main.id}', 'aws_vpc', 'main')).toBe(true);
    expect(refersTo('${aws_vpc.main2.id}', 'aws_vpc', 'main')).toBe(false);
  });
});

describe('numberValue()', () => {
  it('reads numbers and numeric strings only', () => {
    expect([7, '14', 'x', '', undefined].map(numberValue)).toEqual([7, 14, undefined, undefined, undefined]);
  });
});
