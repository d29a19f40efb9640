/**
 * Published nDCG@10 figures for BEIR datasets, printed beside ours so a run says where it stands.
 * BM25: the BEIR paper (Thakur et al., 2021, Elasticsearch) and Anserini's BEIR regressions
 * (flat index, k1 0.9, b 0.4). Dense models: the MTEB leaderboard's retrieval scores, rounded.
 */
import { basename } from 'node:path';

export interface PublishedFigure {
  method: string;
  source: string;
  ndcg: number;
}

const PUBLISHED: Record<string, PublishedFigure[]> = {
  scifact: [
    { method: 'BM25', source: 'BEIR paper', ndcg: 0.665 },
    { method: 'BM25', source: 'Anserini', ndcg: 0.679 },
    { method: 'bge-small-en-v1.5', source: 'MTEB, about', ndcg: 0.71 },
    { method: 'all-MiniLM-L6-v2', source: 'MTEB, about', ndcg: 0.65 },
  ],
};

/** The figures for a BEIR folder, known by its name (`…/scifact`); none for other datasets. */
export const publishedBaselines = (folder: string): PublishedFigure[] => PUBLISHED[basename(folder.replace(/\/+$/, '')).toLowerCase()] ?? [];
