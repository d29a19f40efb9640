/** Browser tests of the console: make sure console/dist is current (built at most once per run). */
import { ensureConsoleBuilt } from '../../scripts/console-build';

let built: Promise<boolean> | undefined;

export function buildConsoleOnce(): Promise<boolean> {
  built ??= ensureConsoleBuilt((m) => console.log(`[console] ${m}`));
  return built;
}
