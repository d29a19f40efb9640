/** A module that keeps state of its own, for test/workflows/preload.test.ts to find (never bundled). */
let turns = 0;
const seen = new Map<string, number>();
const WORD = /\w+/g;

export class Counter {
  static count = 0;
  static readonly LIMIT = 10;
}

export function touch(key: string): number {
  seen.set(key, ++turns + (WORD.exec(key) ? 1 : 0));
  Counter.count++;
  return seen.size;
}
