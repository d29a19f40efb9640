/**
 * Import rules (DESIGN.md §1, issue 9): imports point one way, api/worker/ingress → workflows/
 * activities/temporal → capability modules → db → core. `test/architecture/imports.test.ts` runs
 * this in `npm test`; `npx depcruise --config .dependency-cruiser.cjs <folders>` shows the same.
 */
const SERVER = 'activities|api|bench|channels|core|db|events|ingress|knowledge|llm|net|scripts|temporal|test|worker|workflows';
const CAPABILITY = 'channels|events|knowledge|llm|net';
const folders = (list) => `^(${list})/`;
const except = (list, drop) => list.split('|').filter((f) => !drop.includes(f)).join('|');
/** The one file per capability module that may read or write the database. */
const DB_FILES = ['channels/directory.ts', 'knowledge/tenant-embedder.ts', 'llm/providers.ts', 'events/sink.ts'];
// Tests may import anything; the layer rules apply to the code they test.
const notTest = '(^test/|\\.test\\.ts$)';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import circles anywhere.', from: {}, to: { circular: true } },
    {
      name: 'core-imports-nothing',
      severity: 'error',
      comment: 'core/ is the pure vocabulary: libraries only.',
      from: { path: '^core/', pathNot: notTest },
      to: { path: folders(except(SERVER, ['core']) + '|console|widget') },
    },
    {
      name: 'db-imports-only-core',
      severity: 'error',
      comment: 'db/ (entities, repositories) imports only core/, and no Temporal.',
      from: { path: '^db/', pathNot: notTest },
      to: { path: [folders(except(SERVER, ['core', 'db']) + '|console|widget'), '@temporalio/'] },
    },
    {
      name: 'workflows-no-io',
      severity: 'error',
      comment: 'Workflow code is deterministic: no db/, api/, ingress/, temporal/, worker/, events/.',
      from: { path: '^workflows/', pathNot: notTest },
      to: { path: folders('api|db|events|ingress|temporal|worker|scripts|bench') },
    },
    {
      name: 'workflows-only-activity-types',
      severity: 'error',
      comment: 'Workflows may import activity (and capability) types, never their values: they would land in the workflow bundle.',
      from: { path: '^workflows/', pathNot: notTest },
      to: { path: folders('activities|' + CAPABILITY), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'api-no-activities',
      severity: 'error',
      comment: 'The API calls capability modules and temporal/, never activity code.',
      from: { path: '^api/', pathNot: notTest },
      to: { path: folders('activities|worker') },
    },
    {
      name: 'capability-no-temporal-or-callers',
      severity: 'error',
      comment: 'Capability modules are integrations: no Temporal client/worker/workflow/activity APIs and nothing that calls them.',
      from: { path: folders(CAPABILITY), pathNot: notTest },
      to: { path: [folders('activities|api|ingress|temporal|worker|workflows'), '@temporalio/(activity|client|testing|worker|workflow)'] },
    },
    {
      name: 'capability-db-through-one-file',
      severity: 'error',
      comment: `A capability module reaches db/ only through its one named file (${DB_FILES.join(', ')}); entity types are fine.`,
      from: { path: folders(CAPABILITY), pathNot: [notTest, ...DB_FILES.map((f) => `^${f.replace('.', '\\.')}$`)] },
      to: { path: '^db/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'net-only-core',
      severity: 'error',
      comment: 'net/ (the guarded outbound HTTP client) imports only core/ and libraries.',
      from: { path: '^net/', pathNot: notTest },
      to: { path: folders(except(SERVER, ['core', 'net']) + '|console|widget') },
    },
    {
      name: 'temporal-only-core-and-definitions',
      severity: 'error',
      comment:
        'temporal/ imports core/ and, from workflows/, only the message definitions and search-attribute keys the workflows share with their clients (values), or types.',
      from: { path: '^temporal/', pathNot: notTest },
      to: { path: folders(except(SERVER, ['core', 'temporal', 'workflows']) + '|console|widget') },
    },
    {
      name: 'temporal-workflow-definitions-only',
      severity: 'error',
      from: { path: '^temporal/', pathNot: notTest },
      to: { path: '^workflows/', pathNot: '^workflows/(messages|search-attributes)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ingress-no-callers',
      severity: 'error',
      comment: 'ingress/ records, queues and dispatches: core/, db/, channels/, temporal/ only.',
      from: { path: '^ingress/', pathNot: notTest },
      to: { path: folders('activities|api|worker|workflows|knowledge|llm') },
    },
    {
      name: 'activities-no-callers',
      severity: 'error',
      comment: 'Activities are called by workflows through Temporal; they import no workflow, API or client code.',
      from: { path: '^activities/', pathNot: notTest },
      to: { path: [folders('api|ingress|temporal|worker|workflows'), '@temporalio/(client|workflow|worker)'] },
    },
    {
      name: 'browser-code-no-server',
      severity: 'error',
      comment: 'The console and the widget import no server code (core/ is shared).',
      from: { path: '^(console|widget)/' },
      to: { path: folders(except(SERVER, ['core'])) },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.data|\\.tools)/' },
    // Type-only imports are kept (and marked) so the rules above can tell them from value imports.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
