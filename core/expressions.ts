/**
 * Expressions marketers write in condition and setVariable nodes, e.g.
 * `age >= 18 and lower(country) == "nl"`. Compiled with filtrex (a sandboxed grammar, never eval).
 * Variables resolve by dotted path (`order.total`); a missing variable is `null`, not an error,
 * so a condition over an unanswered question is simply false.
 */
import { compileExpression, type Operators } from 'filtrex';
import { BoundedMap } from './bounded-map';
import { compilePattern, patternMatches, PatternError } from './regex';

type Compiled = (vars: Record<string, unknown>) => unknown;

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

const str = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

const FUNCTIONS: Record<string, (...args: any[]) => unknown> = {
  lower: (v: unknown) => str(v).toLowerCase(),
  upper: (v: unknown) => str(v).toUpperCase(),
  trim: (v: unknown) => str(v).trim(),
  contains: (haystack: unknown, needle: unknown) =>
    Array.isArray(haystack) ? haystack.includes(needle) : str(haystack).toLowerCase().includes(str(needle).toLowerCase()),
  startsWith: (v: unknown, prefix: unknown) => str(v).toLowerCase().startsWith(str(prefix).toLowerCase()),
  len: (v: unknown) => (Array.isArray(v) ? v.length : str(v).length),
  number: (v: unknown) => {
    const n = typeof v === 'number' ? v : Number(str(v).trim().replace(',', '.'));
    return Number.isFinite(n) ? n : null;
  },
  string: (v: unknown) => str(v),
};
/** filtrex's own functions, which need no registration. */
const BUILT_INS = ['abs', 'ceil', 'floor', 'log', 'log2', 'log10', 'max', 'min', 'round', 'sqrt', 'exists', 'empty'];
export const EXPRESSION_FUNCTIONS = [...Object.keys(FUNCTIONS), ...BUILT_INS];

const CONSTANTS: Record<string, unknown> = { true: true, false: false, null: null };

/** `text ~= "pattern"` on RE2 (filtrex's own uses a backtracking RegExp); a bad pattern is an ExpressionError. */
const OPERATORS = {
  '~=': (a: unknown, b: unknown) => {
    try {
      return patternMatches(str(b), str(a));
    } catch (err) {
      throw err instanceof PatternError ? new ExpressionError(err.message) : err;
    }
  },
} as Operators;

function lookup(vars: Record<string, unknown>, path: string): unknown {
  let value: unknown = vars;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return null;
    value = (value as Record<string, unknown>)[part];
  }
  return value === undefined ? null : value;
}

const cache = new BoundedMap<string, Compiled>(500);

/** Compiles (cached) or throws an ExpressionError a marketer can act on. */
export function compile(expression: string): Compiled {
  const hit = cache.get(expression);
  if (hit) return hit;
  const unknown = unknownFunctions(expression);
  if (unknown.length) {
    throw new ExpressionError(`unknown function ${unknown.map((f) => `"${f}"`).join(', ')}; available: ${EXPRESSION_FUNCTIONS.join(', ')}`);
  }
  let fn: (data: unknown) => unknown;
  try {
    fn = compileExpression(expression, {
      extraFunctions: FUNCTIONS,
      operators: OPERATORS,
      customProp: (name, _get, data, type) =>
        type === 'unescaped' && Object.hasOwn(CONSTANTS, name) ? CONSTANTS[name] : lookup(data as Record<string, unknown>, name),
    });
  } catch (err) {
    throw new ExpressionError(`cannot read expression "${expression}": ${firstLine(err)}`);
  }
  for (const pattern of literalPatterns(expression)) {
    try {
      compilePattern(pattern);
    } catch (err) {
      throw new ExpressionError((err as Error).message);
    }
  }
  const compiled: Compiled = (vars) => {
    // filtrex returns runtime errors as values instead of throwing them
    const result = fn(vars);
    if (result instanceof Error) throw new ExpressionError(`expression "${expression}" failed: ${result.message}`);
    return result;
  };
  cache.set(expression, compiled);
  return compiled;
}

/** Null when the expression compiles, else the reason. */
export function checkExpression(expression: string): string | null {
  try {
    compile(expression);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export const evaluate = (expression: string, vars: Record<string, unknown>): unknown => compile(expression)(vars);

export const evaluateBoolean = (expression: string, vars: Record<string, unknown>): boolean => truthy(evaluate(expression, vars));

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

function unknownFunctions(expression: string): string[] {
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const called = [...withoutStrings.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)].map((m) => m[1]);
  const keywords = new Set(['in', 'not', 'and', 'or', 'if', 'then', 'else', 'of']);
  return [...new Set(called.filter((f) => !keywords.has(f) && !EXPRESSION_FUNCTIONS.includes(f)))];
}

/**
 * The string literals written right of `~=`, checked when the expression is compiled (a pattern
 * held in a variable is checked when used). filtrex strings are double-quoted and escape only
 * `\\` and `\"`; single quotes name a variable.
 */
function literalPatterns(expression: string): string[] {
  return [...expression.matchAll(/~=\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // filtrex parse errors are multi-line ("Parse error on line 1:\n<expr>\n---^\nExpecting ..."): keep what helps
  const lines = msg.split('\n').filter(Boolean);
  const expecting = lines.find((l) => l.startsWith('Expecting'));
  return expecting ? `${lines[0].replace(/:$/, '')}, ${expecting.charAt(0).toLowerCase()}${expecting.slice(1)}` : lines[0];
}
