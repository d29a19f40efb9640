/** vader-sentiment ships no types: the one call the benchmark makes (bench/intents.ts). */
declare module 'vader-sentiment' {
  export const SentimentIntensityAnalyzer: {
    polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number };
  };
}
