/** The webhooks module's one door to the database (DESIGN.md §1): repositories and the secret box. */
export * from '../db/repos/webhooks';
export { systemEm, tenantEm } from '../db/orm';
export { secretBoxFromConfig } from '../db/secrets';
