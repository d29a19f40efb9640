/**
 * TwiML as the fake Twilio reads it: a real XML parser (fast-xml-parser, order preserved), the
 * document must be well-formed with a `<Response>` root (else Twilio's error 12100, "Document parse
 * failure"), and each verb keeps its attributes, its nested verbs/nouns and its text.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface TwimlNode {
  name: string;
  attrs: Record<string, string>;
  children: TwimlNode[];
  /** The text inside the element, nested elements' text included (SSML inside <Say>), trimmed. */
  text: string;
}

export class TwimlError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

export function parseTwiml(xml: string): TwimlNode {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new TwimlError(12100, `Document parse failure: ${valid.err.msg} (line ${valid.err.line})`);
  const elements = toNodes(parser.parse(xml) as Ordered[]);
  if (elements.length !== 1 || elements[0].name !== 'Response') {
    throw new TwimlError(12100, `Document parse failure: the root element is <${elements[0]?.name ?? ''}>, not <Response>`);
  }
  return elements[0];
}

function toNodes(items: Ordered[]): TwimlNode[] {
  const nodes: TwimlNode[] = [];
  for (const item of items) {
    const name = Object.keys(item).find((k) => k !== ':@');
    if (!name || name === '#text' || name.startsWith('?')) continue;
    const inner = (item[name] as Ordered[]) ?? [];
    nodes.push({ name, attrs: { ...(item[':@'] ?? {}) }, children: toNodes(inner), text: textOf(inner) });
  }
  return nodes;
}

function textOf(items: Ordered[]): string {
  const parts: string[] = [];
  for (const item of items) {
    for (const [key, value] of Object.entries(item)) {
      if (key === ':@') continue;
      if (key === '#text') parts.push(String(value));
      else parts.push(textOf(value as Ordered[]));
    }
  }
  return parts.filter(Boolean).join(' ').replace(/\s+/g, ' ').trim();
}

/** A boolean TwiML attribute (`true`/`false`, case-insensitive). */
export const flag = (value: string | undefined, fallback: boolean): boolean => (value === undefined ? fallback : value.toLowerCase() === 'true');

/** A numeric TwiML attribute. */
export const num = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return value === undefined || value === '' || !Number.isFinite(n) ? fallback : n;
};
