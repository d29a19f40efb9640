/**
 * Channel limits of campaign content, checked after generation (which then trims or asks again)
 * and on every user edit. `checkVariant` says what is at or beyond a limit; `fitVariant` brings
 * generated content within the hard limits (a model is asked for them, not trusted with them).
 */
import type { VariantContent } from './content';
import { isKnownVariable, personalizationVariables } from './personalize';
import { nonGsmCharacters, smsSegments } from './sms';

export const CONTENT_LIMITS = {
  smsSegments: 2,
  /** A WhatsApp template body (Meta refuses longer ones); the session text may be up to 4096. */
  whatsappTemplateBody: 1024,
  whatsappText: 4096,
  whatsappParameter: 1024,
  /** Inboxes cut a subject after about 60 characters and a preheader after about 100. */
  emailSubjectShown: 60,
  emailSubject: 200,
  emailPreheaderShown: 100,
  emailPreheader: 200,
  messengerText: 2000,
  instagram: 2200,
  instagramHashtags: 30,
  facebook: 5000,
  google: 1500,
} as const;

/** A personalized name or attribute is counted at this length when the SMS is sized. */
const VARIABLE_SAMPLE = 'x'.repeat(12);
const VARIABLE = /\{\{[^{}]*\}\}/g;
const OPT_OUT = /\b(STOP|UNSUBSCRIBE|ARRET|BAJA|STOPP)\b/i;

/** The SMS as it will be counted: each variable at its fallback or a typical length, whichever is longer. */
export function smsSizingText(text: string): string {
  return text.replace(VARIABLE, (variable) => {
    const fallback = /\|([^{}]*)\}\}$/.exec(variable)?.[1]?.trim() ?? '';
    return fallback.length > VARIABLE_SAMPLE.length ? fallback : VARIABLE_SAMPLE;
  });
}

const hashtags = (text: string) => (text.match(/(^|\s)#[\p{L}\p{N}_]+/gu) ?? []).length;

function unknownVariables(label: string, texts: (string | undefined)[]): string[] {
  const unknown = new Set(texts.flatMap((text) => (text ? personalizationVariables(text) : [])).filter((path) => !isKnownVariable(path)));
  return [...unknown].map((path) => `${label}: unknown variable {{${path}}} (use contact.firstName, contact.lastName, contact.name, contact.email, contact.phone, contact.attributes.<key> or campaign.name)`);
}

export function checkSms(text: string): string[] {
  const warnings: string[] = [];
  const count = smsSegments(smsSizingText(text));
  if (count.encoding === 'UCS-2') {
    warnings.push(`sms: UCS-2 encoding (${nonGsmCharacters(text).join(' ')}): ${count.perSegment} characters per segment instead of ${count.segments > 1 ? 153 : 160}`);
  }
  if (count.segments > CONTENT_LIMITS.smsSegments) warnings.push(`sms: ${count.segments} segments (${count.characters} characters, ${count.encoding}); keep it within ${CONTENT_LIMITS.smsSegments}`);
  if (!OPT_OUT.test(text)) warnings.push('sms: no opt-out instruction (e.g. "Reply STOP to opt out")');
  return warnings;
}

/** Warnings for a variant's content, each prefixed with its channel. */
export function checkVariant(variant: VariantContent): string[] {
  const warnings: string[] = [];
  const { sms, whatsapp, email, messenger, social } = variant;
  if (sms) warnings.push(...checkSms(sms.text), ...unknownVariables('sms', [sms.text]));
  if (whatsapp) {
    const limit = whatsapp.template ? CONTENT_LIMITS.whatsappTemplateBody : CONTENT_LIMITS.whatsappText;
    if (whatsapp.text.length > limit) warnings.push(`whatsapp: ${whatsapp.text.length} characters; a ${whatsapp.template ? 'template body' : 'message'} takes at most ${limit}`);
    for (const [i, parameter] of (whatsapp.template?.parameters ?? []).entries()) {
      // Meta refuses a template parameter with a line break, a tab or more than four spaces in a row.
      if (/[\n\t]| {5,}/.test(parameter)) warnings.push(`whatsapp: parameter {{${i + 1}}} has a line break, a tab or more than four spaces in a row, which WhatsApp refuses`);
      if (parameter.length > CONTENT_LIMITS.whatsappParameter) warnings.push(`whatsapp: parameter {{${i + 1}}} is over ${CONTENT_LIMITS.whatsappParameter} characters`);
    }
    if (!whatsapp.template) warnings.push('whatsapp: no template: only contacts who wrote in the last 24 hours can be reached');
    warnings.push(...unknownVariables('whatsapp', [whatsapp.text, ...(whatsapp.template?.parameters ?? [])]));
  }
  if (email) {
    if (email.subject.length > CONTENT_LIMITS.emailSubjectShown) warnings.push(`email: subject of ${email.subject.length} characters; inboxes show about ${CONTENT_LIMITS.emailSubjectShown}`);
    if (!email.preheader.trim()) warnings.push('email: no preheader: inboxes show the first words of the body instead');
    else if (email.preheader.length > CONTENT_LIMITS.emailPreheaderShown) warnings.push(`email: preheader of ${email.preheader.length} characters; inboxes show about ${CONTENT_LIMITS.emailPreheaderShown}`);
    warnings.push(...unknownVariables('email', [email.subject, email.preheader, email.html, email.text]));
  }
  if (messenger) {
    if (messenger.text.length > CONTENT_LIMITS.messengerText) warnings.push(`messenger: ${messenger.text.length} characters; Messenger takes at most ${CONTENT_LIMITS.messengerText}`);
    if (messenger.tag) warnings.push(`messenger: the ${messenger.tag} tag is for non-promotional updates only; Meta forbids promotional content under a tag`);
    else warnings.push('messenger: no tag: only contacts who wrote in the last 24 hours can be reached');
    warnings.push(...unknownVariables('messenger', [messenger.text]));
  }
  if (social) {
    if (social.instagram.length > CONTENT_LIMITS.instagram) warnings.push(`social: Instagram caption over ${CONTENT_LIMITS.instagram} characters`);
    if (hashtags(social.instagram) > CONTENT_LIMITS.instagramHashtags) warnings.push(`social: Instagram takes at most ${CONTENT_LIMITS.instagramHashtags} hashtags`);
    if (social.facebook.length > CONTENT_LIMITS.facebook) warnings.push(`social: Facebook post over ${CONTENT_LIMITS.facebook} characters`);
    if (social.google.length > CONTENT_LIMITS.google) warnings.push(`social: Google Business post over ${CONTENT_LIMITS.google} characters`);
  }
  return warnings;
}

/** Typographic punctuation models like, swapped for its GSM-7 twin so one curly quote does not halve an SMS. */
const GSM_TWINS: [RegExp, string][] = [
  [/[‘’‚‛′]/g, "'"],
  [/[“”„‟″«»]/g, '"'],
  [/[‐‑‒–—―]/g, '-'],
  [/…/g, '...'],
  [/[\u00a0\u2007\u202f]/g, ' '],
];

export const gsmPunctuation = (text: string) => GSM_TWINS.reduce((out, [from, to]) => out.replace(from, to), text);

/** Cuts at a word boundary so that `fits(cut + suffix)`; never inside a {{variable}}. */
export function cutToFit(text: string, suffix: string, fits: (candidate: string) => boolean): string {
  if (fits(text + suffix)) return text + suffix;
  const words = text.split(/(?<=\s)/);
  let low = 0;
  let high = words.length;
  // Longest prefix of whole words that fits (fits is monotonic in the prefix length).
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(`${words.slice(0, mid).join('').trimEnd()}...${suffix}`)) low = mid;
    else high = mid - 1;
  }
  const head = words.slice(0, low).join('').trimEnd();
  if (head) return `${head}...${suffix}`;
  // Not even the first word fits: cut inside it.
  let chars = 0;
  while (chars < text.length && fits(`${text.slice(0, chars + 1)}...${suffix}`)) chars += 1;
  return chars ? `${text.slice(0, chars)}...${suffix}` : suffix.trim();
}

const within = (max: number) => (candidate: string) => candidate.length <= max;

/** The SMS within the segment limit, its opt-out line kept at the end. */
export function fitSms(text: string): string {
  const normalized = gsmPunctuation(text).trim();
  const lines = normalized.split('\n');
  const last = lines.at(-1) ?? '';
  const hasFooter = lines.length > 1 && OPT_OUT.test(last) && last.length < 60;
  const body = hasFooter ? lines.slice(0, -1).join('\n').trimEnd() : normalized;
  const footer = hasFooter ? `\n${last}` : '';
  return cutToFit(body, footer, (candidate) => smsSegments(smsSizingText(candidate)).segments <= CONTENT_LIMITS.smsSegments);
}

/** Generated content brought within the hard limits; what was changed is said in `changed`. */
export function fitVariant(variant: VariantContent): { content: VariantContent; changed: string[] } {
  const changed: string[] = [];
  const fit = (label: string, before: string, after: string) => {
    if (after !== before) changed.push(label);
    return after;
  };
  const content: VariantContent = structuredClone(variant);
  if (content.sms) content.sms.text = fit('sms: shortened to fit', content.sms.text, fitSms(content.sms.text));
  if (content.whatsapp) {
    const limit = content.whatsapp.template ? CONTENT_LIMITS.whatsappTemplateBody : CONTENT_LIMITS.whatsappText;
    content.whatsapp.text = fit('whatsapp: shortened to fit', content.whatsapp.text, cutToFit(content.whatsapp.text, '', within(limit)));
    if (content.whatsapp.template) {
      content.whatsapp.template.parameters = content.whatsapp.template.parameters.map((parameter) =>
        fit('whatsapp: parameter made single-line', parameter, parameter.replace(/[\n\t]+/g, ' ').replace(/ {5,}/g, ' ').slice(0, CONTENT_LIMITS.whatsappParameter)),
      );
    }
  }
  if (content.email) {
    content.email.subject = fit('email: subject shortened', content.email.subject, cutToFit(content.email.subject.replace(/\s+/g, ' ').trim(), '', within(CONTENT_LIMITS.emailSubject)));
    content.email.preheader = fit('email: preheader shortened', content.email.preheader, cutToFit(content.email.preheader.trim(), '', within(CONTENT_LIMITS.emailPreheader)));
  }
  if (content.messenger) {
    content.messenger.text = fit('messenger: shortened to fit', content.messenger.text, cutToFit(content.messenger.text, '', within(CONTENT_LIMITS.messengerText)));
  }
  if (content.social) {
    const s = content.social;
    s.instagram = fit('social: Instagram caption shortened', s.instagram, cutToFit(s.instagram, '', within(CONTENT_LIMITS.instagram)));
    s.facebook = fit('social: Facebook post shortened', s.facebook, cutToFit(s.facebook, '', within(CONTENT_LIMITS.facebook)));
    s.google = fit('social: Google Business post shortened', s.google, cutToFit(s.google, '', within(CONTENT_LIMITS.google)));
  }
  return { content, changed: [...new Set(changed)] };
}
