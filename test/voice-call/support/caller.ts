/**
 * A scripted caller for the voice webhooks: posts Twilio's form parameters signed like Twilio
 * (X-Twilio-Signature over the exact URL + sorted params), parses each TwiML answer with a real XML
 * parser and posts the next event to the action URL the TwiML named — as Twilio would.
 */
import { randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { twilioSignature } from '../../../channels/twilio/signature';

export interface Verb {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Verb[];
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: true, parseTagValue: false });

/** TwiML → its verbs in order (Response's children). */
export function parseTwiml(xml: string): Verb[] {
  const doc = parser.parse(xml) as Record<string, unknown>[];
  const response = doc.find((n) => 'Response' in n) as Record<string, unknown> | undefined;
  if (!response) throw new Error(`not TwiML: ${xml.slice(0, 200)}`);
  return toVerbs(response.Response as Record<string, unknown>[]);
}

function toVerbs(nodes: Record<string, unknown>[]): Verb[] {
  const verbs: Verb[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
    if (!name) continue;
    const body = node[name] as Record<string, unknown>[];
    const text = body.filter((c) => '#text' in c).map((c) => String(c['#text'])).join('');
    verbs.push({ name, attrs: (node[':@'] as Record<string, string>) ?? {}, text, children: toVerbs(body) });
  }
  return verbs;
}

/** What a caller hears from a document: every Say (also inside Gather), in order. */
export const spoken = (verbs: Verb[]): string[] => verbs.flatMap((v) => (v.name === 'Say' ? [v.text] : spoken(v.children)));

export interface Answer {
  status: number;
  body: string;
  verbs: Verb[];
}

export const newCallSid = () => `CA${randomBytes(16).toString('hex')}`;

export class Caller {
  readonly sid = newCallSid();
  last: Verb[] = [];

  constructor(
    private readonly channel: { webhookUrl: string },
    private readonly account: { sid: string; token: string },
    readonly from: string,
    readonly to: string,
  ) {}

  private base(extra: Record<string, string>): Record<string, string> {
    return { CallSid: this.sid, AccountSid: this.account.sid, From: this.from, To: this.to, Caller: this.from, Called: this.to, Direction: 'inbound', ApiVersion: '2010-04-01', ...extra };
  }

  async post(url: string, params: Record<string, string>, opts: { token?: string } = {}): Promise<Answer> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(opts.token ?? this.account.token, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    const body = await res.text();
    const verbs = res.headers.get('content-type')?.startsWith('text/xml') ? parseTwiml(body) : [];
    if (verbs.length) this.last = verbs;
    return { status: res.status, body, verbs };
  }

  /** Twilio's first request: the call rang through and is answered. */
  answer(): Promise<Answer> {
    return this.post(this.channel.webhookUrl, this.base({ CallStatus: 'in-progress' }));
  }

  /** The `<Gather>` of the last document (its action URL). */
  gather(): Verb {
    const g = this.last.find((v) => v.name === 'Gather');
    if (!g) throw new Error(`no <Gather> in the last TwiML: ${JSON.stringify(this.last.map((v) => v.name))}`);
    return g;
  }

  press(digits: string): Promise<Answer> {
    return this.post(this.gather().attrs.action, this.base({ CallStatus: 'in-progress', Digits: digits }));
  }

  say(speech: string, confidence = 0.92): Promise<Answer> {
    return this.post(this.gather().attrs.action, this.base({ CallStatus: 'in-progress', SpeechResult: speech, Confidence: String(confidence) }));
  }

  /** The caller said nothing: Twilio posts the action with no input (actionOnEmptyResult). */
  silence(): Promise<Answer> {
    return this.post(this.gather().attrs.action, this.base({ CallStatus: 'in-progress' }));
  }

  /** The status callback after the call ends. */
  hangup(durationSeconds = 42, status = 'completed'): Promise<Answer> {
    return this.post(`${this.channel.webhookUrl}/status`, this.base({ CallStatus: status, CallDuration: String(durationSeconds), SequenceNumber: '3', Timestamp: new Date().toUTCString() }));
  }
}
