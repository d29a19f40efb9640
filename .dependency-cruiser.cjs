/**
 * Import rules (DESIGN.md §1, issue 9): imports point one way, api/worker/ingress → workflows/
 * activities/temporal → capability modules → db → core. `test/architecture/imports.test.ts` runs
 * this in `npm test`; `npx depcruise --config .dependency-cruiser.cjs <folders>` shows the same.
 */
// One entry per line: a new module appends its own.
/** Capability modules (DESIGN.md §1): integrations, no Temporal, db/ through one named file. */
const CAPABILITY_MODULES = [
  'campaigns',
  'channels',
  'events',
  'knowledge',
  'llm',
  'metrics',
  'net',
  'scheduling',
  'webhooks',
  'media',
  'video',
  'quotas',
  'renders',
  'menu',
  'presence',
  'voice',
  'assistant',
];
const CAPABILITY = CAPABILITY_MODULES.join('|');
/** Every server-side folder: the layers and the capability modules. */
const SERVER = [
  'activities',
  'api',
  'bench',
  'core',
  'db',
  'ingress',
  'scripts',
  'telemetry',
  'temporal',
  'test',
  'worker',
  'workflows',
  ...CAPABILITY_MODULES,
].join('|');
const folders = (list) => `^(${list})/`;
const except = (list, drop) => list.split('|').filter((f) => !drop.includes(f)).join('|');
/** The one file per capability module that may read or write the database. */
const DB_FILES = [
  'channels/directory.ts',
  'knowledge/tenant-embedder.ts',
  'llm/providers.ts',
  'events/sink.ts',
  'webhooks/store.ts',
  'scheduling/service.ts',
  'campaigns/content/store.ts',
  'quotas/store.ts',
  'renders/store.ts',
  'menu/store.ts',
  'presence/store.ts',
  'voice/store.ts',
  'assistant/store.ts',
];
// Tests may import anything; the layer rules apply to the code they test.
const notTest = '(^test/|\\.test\\.ts$)';
/** A rule on the code (not the tests) under `from`. */
const rule = (name, comment, from, to) => ({ name, severity: 'error', comment, from: { path: from, pathNot: notTest }, to });

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import circles anywhere.', from: {}, to: { circular: true } },
    rule('core-imports-nothing', 'core/ is the pure vocabulary: libraries only.', '^core/', { path: folders(except(SERVER, ['core']) + '|console|widget') }),
    rule('db-imports-only-core', 'db/ (entities, repositories) imports only core/, and no Temporal.', '^db/', {
      path: [folders(except(SERVER, ['core', 'db']) + '|console|widget'), '@temporalio/'],
    }),
    rule('workflows-no-io', 'Workflow code is deterministic: no db/, api/, ingress/, temporal/, worker/, events/, telemetry/.', '^workflows/', {
      path: folders('api|db|events|ingress|telemetry|temporal|worker|scripts|bench'),
    }),
    rule('workflows-only-activity-types', 'Workflows may import activity (and capability) types, never their values: they would land in the workflow bundle.', '^workflows/', {
      path: folders('activities|' + CAPABILITY),
      dependencyTypesNot: ['type-only'],
    }),
    rule('api-no-activities', 'The API calls capability modules and temporal/, never activity code.', '^api/', { path: folders('activities|worker') }),
    rule('capability-no-temporal-or-callers', 'Capability modules are integrations: no Temporal client/worker/workflow/activity APIs and nothing that calls them.', folders(CAPABILITY), {
      path: [folders('activities|api|ingress|temporal|worker|workflows'), '@temporalio/(activity|client|testing|worker|workflow)'],
    }),
    {
      ...rule('capability-db-through-one-file', `A capability module reaches db/ only through its one named file (${DB_FILES.join(', ')}); entity types are fine.`, folders(CAPABILITY), {
        path: '^db/',
        dependencyTypesNot: ['type-only'],
      }),
      from: { path: folders(CAPABILITY), pathNot: [notTest, ...DB_FILES.map((f) => `^${f.replace('.', '\\.')}$`)] },
    },
    rule('metrics-only-core', 'metrics/ (the process\'s Prometheus registry) imports only core/ and libraries: every layer may record into it.', '^metrics/', { path: folders(except(SERVER, ['core', 'metrics']) + '|console|widget') }),
    rule('net-only-core', 'net/ (the guarded outbound HTTP client) imports only core/, telemetry/spans.ts and libraries.', '^net/', { path: folders(except(SERVER, ['core', 'net', 'telemetry']) + '|console|widget') }),
    rule('net-telemetry-spans-only', 'From telemetry/, net/ takes only the span helper.', '^net/', { path: '^telemetry/', pathNot: '^telemetry/spans\\.ts$' }),
    rule('telemetry-only-core', 'telemetry/ (tracer provider, Temporal interceptors, log fields) imports only core/ and libraries: every layer may trace through it.', '^telemetry/', { path: folders(except(SERVER, ['core', 'telemetry']) + '|console|widget') }),
    rule('temporal-only-core-and-definitions', 'temporal/ imports core/ and, from workflows/, the definitions the workflows share with their clients.', '^temporal/', {
      path: folders(except(SERVER, ['core', 'temporal', 'workflows']) + '|console|widget'),
    }),
    rule('temporal-workflow-definitions-only', 'From workflows/, temporal/ takes values only from messages.ts and search-attributes.ts; types from anywhere.', '^temporal/', {
      path: '^workflows/',
      pathNot: '^workflows/(messages|search-attributes)\\.ts$',
      dependencyTypesNot: ['type-only'],
    }),
    rule('ingress-no-callers', 'ingress/ records, queues and dispatches: core/, db/, channels/, temporal/ only.', '^ingress/', { path: folders('activities|api|worker|workflows|knowledge|llm') }),
    rule('activities-no-callers', 'Activities are called by workflows through Temporal; they import no workflow, API or client code.', '^activities/', {
      path: [folders('api|ingress|temporal|worker|workflows'), '@temporalio/(client|workflow|worker)'],
    }),
    { name: 'browser-code-no-server', severity: 'error', comment: 'The console and the widget import no server code (core/ is shared).', from: { path: '^(console|widget)/' }, to: { path: folders(except(SERVER, ['core'])) } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|\\.data|\\.tools)/' },
    // Type-only imports are kept (and marked) so the rules above can tell them from value imports.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
