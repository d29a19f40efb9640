/**
 * Loaders for the intent datasets in ../shared/datasets (never copied into the repository): CLINC150
 * (oos-eval `data_full.json`, with its out-of-scope splits) and BANKING77 (`train.csv`/`test.csv`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { LabelledExample } from '../core/intents/classifier';

/** `../shared/datasets` from the repository root, as the other benchmarks take them; DATASETS_DIR overrides. */
export const DATASETS_DIR = process.env.DATASETS_DIR ?? resolve('../shared/datasets');
export const OOS = 'oos';

export interface IntentDataset {
  name: 'clinc150' | 'banking77';
  train: LabelledExample[];
  /** CLINC150 only: the validation split (in-scope and out-of-scope), where the threshold is chosen. */
  val: LabelledExample[];
  /** Out-of-scope examples carry the intent `oos`. */
  test: LabelledExample[];
}

const pairs = (rows: [string, string][]): LabelledExample[] => rows.map(([text, intent]) => ({ text, intent }));

export function datasetAvailable(name: IntentDataset['name'], dir = DATASETS_DIR): boolean {
  return existsSync(join(dir, name, name === 'clinc150' ? 'data_full.json' : 'train.csv'));
}

export function loadClinc150(dir = DATASETS_DIR): IntentDataset {
  const data = JSON.parse(readFileSync(join(dir, 'clinc150', 'data_full.json'), 'utf8')) as Record<string, [string, string][]>;
  return {
    name: 'clinc150',
    train: pairs(data.train!),
    val: [...pairs(data.val!), ...pairs(data.oos_val!)],
    test: [...pairs(data.test!), ...pairs(data.oos_test!)],
  };
}

export function loadBanking77(dir = DATASETS_DIR): IntentDataset {
  const csv = (file: string) =>
    (parse(readFileSync(join(dir, 'banking77', file), 'utf8'), { columns: true, skip_empty_lines: true }) as { text: string; category: string }[]).map((r) => ({
      text: r.text,
      intent: r.category,
    }));
  return { name: 'banking77', train: csv('train.csv'), val: [], test: csv('test.csv') };
}
