/**
 * The offline recognizer: Debian's `pocketsphinx_continuous` (packages `pocketsphinx` and
 * `pocketsphinx-en-us`, the US English acoustic model, language model and dictionary) over a
 * 16 kHz mono WAV (voice/audio.ts toRecognizerWav). With `-time yes` it prints each utterance's
 * hypothesis followed by one line per word: `word start end posterior`; the confidence is the
 * mean posterior of the spoken words (silences and fillers left out).
 */
import { runToolOrThrow } from '../video/ffmpeg';

export const POCKETSPHINX_BIN = 'pocketsphinx_continuous';
export const POCKETSPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const TIMEOUT_MS = 120_000;

export interface Recognition {
  text: string;
  confidence: number | null;
}

/** Recognizes the speech in a 16 kHz mono PCM WAV. Throws when the recognizer is missing or fails. */
export async function recognizeWav(wavPath: string, modelDir = POCKETSPHINX_MODEL_DIR): Promise<Recognition> {
  const run = await runToolOrThrow(
    POCKETSPHINX_BIN,
    [
      '-infile', wavPath,
      '-hmm', `${modelDir}/en-us`,
      '-lm', `${modelDir}/en-us.lm.bin`,
      '-dict', `${modelDir}/cmudict-en-us.dict`,
      // Synthetic and telephone speech is clean: noise removal costs more words than it saves.
      '-remove_noise', 'no',
      '-time', 'yes',
      '-logfn', '/dev/null',
    ],
    { timeoutMs: TIMEOUT_MS, maxOutputBytes: 4 * 1024 * 1024 },
  );
  return parsePocketsphinx(run.stdout.toString('utf8'));
}

const WORD_LINE = /^(\S+) (\d+\.\d+) (\d+\.\d+) (\d+(?:\.\d+)?)$/;
/** `<s>`, `</s>`, `<sil>` and fillers like `[NOISE]` or `++breath++` are not words. */
const NOT_A_WORD = /^(<.*>|\[.*\]|\+\+.*\+\+)$/;

export function parsePocketsphinx(stdout: string): Recognition {
  const utterances: string[] = [];
  const posteriors: number[] = [];
  for (const line of stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const word = WORD_LINE.exec(line);
    if (!word) {
      utterances.push(line);
      continue;
    }
    if (!NOT_A_WORD.test(word[1])) posteriors.push(Number(word[4]));
  }
  const text = utterances.join(' ').replace(/\s+/g, ' ').trim();
  const confidence = posteriors.length ? Math.round((posteriors.reduce((a, b) => a + b, 0) / posteriors.length) * 1000) / 1000 : null;
  return { text, confidence };
}
