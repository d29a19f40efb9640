/** `sentiment` (AFINN-165) ships no types: the calls core/intents/sentiment.ts makes. */
declare module 'sentiment' {
  export default class Sentiment {
    analyze(text: string): { score: number; comparative: number };
  }
}
