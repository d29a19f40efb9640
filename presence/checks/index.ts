/**
 * The registry of check modules, one line a module (the listing and consistency modules add
 * theirs). The workflow asks for it once per audit (`planPresenceAudit`), so a module added
 * later does not change a recorded run.
 */
import { accessibilityModule } from './accessibility';
import { contentModule } from './content';
import { crawlModule } from './crawl';
import { linksModule } from './links';
import { pageModule } from './page';
import { structuredDataModule } from './structured-data';
import { transportModule } from './transport';
import type { CheckModule } from './types';

export const CHECK_MODULES: readonly CheckModule[] = [
  transportModule,
  pageModule,
  structuredDataModule,
  contentModule,
  linksModule,
  crawlModule,
  accessibilityModule,
];

export function checkModule(id: string): CheckModule | undefined {
  return CHECK_MODULES.find((m) => m.id === id);
}
