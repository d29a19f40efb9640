/** Which menu option a caller chose: the first key pressed, else a keyword said (whole words, any case, accents ignored). */
export interface MenuOption {
  key: string;
  keywords: string[];
  label?: string;
}

export type MenuMatch = { option: MenuOption; by: 'dtmf' | 'speech' } | null;

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();

const words = (s: string) => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** Spoken digits a recognizer may return as words. */
const SPOKEN: Record<string, string> = { zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' };

export function matchMenuOption(options: readonly MenuOption[], input: { digits: string | null; speech: string | null }): MenuMatch {
  const key = input.digits?.trim()[0];
  if (key) {
    const option = options.find((o) => o.key === key);
    return option ? { option, by: 'dtmf' } : null;
  }
  const said = words(input.speech ?? '');
  if (!said.length) return null;
  const text = ` ${said.join(' ')} `;
  for (const option of options) {
    // A keyword of several words matches as a phrase.
    if (option.keywords.some((k) => words(k).length && text.includes(` ${words(k).join(' ')} `))) return { option, by: 'speech' };
  }
  // "one", "press two", "2": the option's key said aloud.
  for (const w of said) {
    const digit = SPOKEN[w] ?? (/^\d$/.test(w) ? w : null);
    const option = digit ? options.find((o) => o.key === digit) : undefined;
    if (option) return { option, by: 'speech' };
  }
  return null;
}
