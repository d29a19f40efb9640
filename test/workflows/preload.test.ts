/**
 * The worker evaluates the workflow code once per workflow thread and shares its modules between
 * runs (worker/create.ts, PRELOADED_MODULES). A write to what a module exports fails loudly (the
 * SDK freezes it), but state in a module's own scope would be shared by every run on the thread
 * without a sound: a leak between tenants' conversations, and replays that differ from the first
 * execution. So every module of ours in the bundle keeps no such state: no module-level `let` or
 * `var`, no mutable static, and a module-level object made with `new` only where it is a constant
 * table or a cache of pure compilations, named below with why.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PRELOADED_MODULES, WORKFLOWS_PATH } from '../../worker/create';
import { bundle } from './support/harness';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** file:name of each module-level object made with `new`, and why sharing it between runs is safe. */
const SHARED_OBJECTS: Record<string, string> = {
  'core/regex.ts:cache': 'compiled RE2 patterns by source, bounded',
  'core/expressions.ts:cache': 'compiled expressions by source, bounded',
  'core/mustache-writer.ts:writer': 'the template writer, its cache of parsed templates bounded',
  // A global or sticky pattern keeps `lastIndex` between uses; String#match and #replace start at 0 and reset it.
  'core/text.ts:UNSTORABLE_ALL': 'used only by String#replace',
  'core/csat.ts:STAR': 'used only by String#match',
  'core/output-filter.ts:CARD_CANDIDATE': 'used only by String#replace',
  'core/output-filter.ts:PHONE_CANDIDATE': 'used only by String#replace',
  'workflows/flow/activities.ts:localVariants': 'activity proxies by name, one per activity type',
  'workflows/flow/activities.ts:LOCAL': 'the local activities, filled at module evaluation',
};
const CONSTANT_SETS = /^(YES|NO|CONFIRM_WORDS|RESCHEDULE_WORDS|CANCEL_WORDS|OUT|IN|KINDS|CONTEXT_READERS|SOURCES_LINE_CHANNELS|[A-Z_]+_NAMES)$/;

interface Finding {
  file: string;
  line: number;
  what: string;
}

function moduleState(file: string): Finding[] {
  const source = ts.createSourceFile(file, readFileSync(`${root}/${file}`, 'utf8'), ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const at = (node: ts.Node, what: string) => findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, what });
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      const list = statement.declarationList;
      const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
      for (const declaration of list.declarations) {
        const name = declaration.name.getText(source);
        if (!isConst) at(declaration, `module-level let/var ${name}`);
        const init = declaration.initializer;
        const allowed = !!SHARED_OBJECTS[`${file}:${name}`] || CONSTANT_SETS.test(name);
        if (init && ts.isNewExpression(init) && !allowed) at(declaration, `module-level ${init.expression.getText(source)} ${name}`);
        if (init && ts.isRegularExpressionLiteral(init) && /\/[a-z]*[gy][a-z]*$/.test(init.text) && !allowed) at(declaration, `module-level global or sticky pattern ${name}`);
      }
    }
    if (ts.isClassDeclaration(statement)) {
      for (const member of statement.members) {
        const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
        const isStatic = modifiers.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        const isReadonly = modifiers.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
        if (isStatic && ts.isPropertyDeclaration(member) && !isReadonly) at(member, `mutable static ${member.name.getText(source)}`);
      }
    }
  }
  return findings;
}

describe('workflow code shared between runs', () => {
  it('the worker preloads the whole of the workflow code', () => {
    expect(PRELOADED_MODULES).toContain(WORKFLOWS_PATH);
  });

  it('no module of ours in the bundle keeps state of its own', async () => {
    const { code } = await bundle();
    const ours = [...new Set([...code.matchAll(/^\/\*\*\*\/ "\.\/((?:core|workflows)\/[^"]+\.ts)"/gm)].map((m) => m[1]))];
    // The bundle is the workflow code: if the pattern stopped matching, this test would pass on nothing.
    expect(ours.length).toBeGreaterThan(100);
    expect(ours).toContain('workflows/conversation.ts');
    expect(ours.flatMap(moduleState)).toEqual([]);
  }, 120_000);

  it('finds the state it looks for', () => {
    // This very check on a module written to keep state, so the test above cannot pass by finding nothing.
    const probe = 'test/workflows/support/module-state-probe.ts';
    expect(moduleState(probe).map((f) => f.what)).toEqual(['module-level let/var turns', 'module-level Map seen', 'module-level global or sticky pattern WORD', 'mutable static count']);
  });
});
