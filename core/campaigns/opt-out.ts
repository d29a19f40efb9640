/**
 * Opt-out and opt-in keywords of inbound SMS and WhatsApp messages. A keyword counts only as the
 * whole message (trimmed, case and accents folded, trailing punctuation dropped), so "stop by
 * tomorrow" is a message, not an opt-out. The confirmation is said in the contact's language.
 */
export type KeywordAction = 'opt_out' | 'opt_in';

/** What an inbound keyword did to the contact's consent on the channel it came in on. */
export interface InboundConsent {
  action: KeywordAction;
  channel: 'sms' | 'whatsapp';
  /** The confirmation to send, in the contact's language; null when the provider already answered (Twilio's STOP handling). */
  confirm: string | null;
}

/** Carriers' and Twilio's standard words, and their usual equivalents in the languages we serve. */
const OPT_OUT_WORDS = [
  'stop', 'stopall', 'stop all', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'opt out', 'opt-out', 'revoke',
  'arret', 'arreter', 'desabonner', 'desinscrire', // fr
  'baja', 'darme de baja', 'parar', // es
  'stopp', 'abmelden', 'abbestellen', // de
  'cancelar', 'descadastrar', 'sair', // pt
  'annulla', 'disiscrivi', // it
  'afmelden', // nl
];
/** Twilio's re-subscribe words; they restore SMS only (WhatsApp consent is given again in a form or the console). */
const OPT_IN_WORDS = ['start', 'unstop', 'yes'];
/** The language a non-English keyword is in: the confirmation answers in it when the contact's locale is unknown. */
const WORD_LANGUAGE: Record<string, string> = {
  arret: 'fr', arreter: 'fr', desabonner: 'fr', desinscrire: 'fr',
  baja: 'es', 'darme de baja': 'es',
  stopp: 'de', abmelden: 'de', abbestellen: 'de',
  cancelar: 'pt', descadastrar: 'pt', sair: 'pt', parar: 'pt',
  annulla: 'it', disiscrivi: 'it',
  afmelden: 'nl',
};

const OUT = new Set(OPT_OUT_WORDS);
const IN = new Set(OPT_IN_WORDS);

export const foldKeyword = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/[\s.!¡?¿"'«»]+$/u, '')
    .replace(/^[\s"'«»¡¿]+/u, '')
    .replace(/\s+/g, ' ');

/** `opt_out`, `opt_in` (only `START`-like words), or null for an ordinary message. */
export function optOutKeyword(text: string, _locale?: string | null): KeywordAction | null {
  if (text.length > 40) return null;
  const word = foldKeyword(text);
  if (OUT.has(word)) return 'opt_out';
  if (IN.has(word)) return 'opt_in';
  return null;
}

const CONFIRMATIONS: Record<string, { out: string; in: string }> = {
  en: { out: "You're unsubscribed and will receive no more messages from us. Reply START to subscribe again.", in: "You're subscribed again. Reply STOP to unsubscribe." },
  fr: { out: 'Vous êtes désabonné(e) et ne recevrez plus de messages de notre part. Répondez START pour vous réabonner.', in: 'Vous êtes de nouveau abonné(e). Répondez STOP pour vous désabonner.' },
  es: { out: 'Te has dado de baja y no recibirás más mensajes nuestros. Responde START para volver a suscribirte.', in: 'Te has vuelto a suscribir. Responde BAJA para darte de baja.' },
  de: { out: 'Sie sind abgemeldet und erhalten keine Nachrichten mehr von uns. Antworten Sie START, um sich wieder anzumelden.', in: 'Sie sind wieder angemeldet. Antworten Sie STOPP, um sich abzumelden.' },
  pt: { out: 'Você cancelou a inscrição e não receberá mais mensagens nossas. Responda START para se inscrever novamente.', in: 'Você se inscreveu novamente. Responda PARAR para cancelar.' },
  it: { out: 'Hai annullato l’iscrizione e non riceverai più messaggi da noi. Rispondi START per iscriverti di nuovo.', in: 'Sei di nuovo iscritto. Rispondi STOP per annullare.' },
  nl: { out: 'Je bent afgemeld en ontvangt geen berichten meer van ons. Antwoord START om je weer aan te melden.', in: 'Je bent weer aangemeld. Antwoord STOP om je af te melden.' },
};

/** In the contact's language (`fr-CA` → `fr`), else the keyword's, else English. */
export function keywordConfirmation(action: KeywordAction, locale?: string | null, keyword?: string): string {
  const lang = locale ? (locale.toLowerCase().split(/[-_]/)[0] ?? 'en') : (WORD_LANGUAGE[foldKeyword(keyword ?? '')] ?? 'en');
  const texts = CONFIRMATIONS[lang] ?? CONFIRMATIONS.en!;
  return action === 'opt_out' ? texts.out : texts.in;
}
