import { describe, expect, it } from 'vitest';
import { checkVariant, fitSms, fitVariant, gsmPunctuation, smsSizingText } from '../../core/campaigns/limits';
import { personalizationVariables, personalize } from '../../core/campaigns/personalize';
import { smsSegments } from '../../core/campaigns/sms';

describe('personalize', () => {
  const contact = { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@example.com', phone: '+34600000000', attributes: { city: 'Sevilla', visits: 3, vip: true } };

  it('fills contact fields, attributes and the campaign name', () => {
    expect(personalize('Hi {{contact.firstName}} {{ contact.lastName }}!', { contact })).toBe('Hi Ana Ruiz!');
    expect(personalize('{{contact.name}} in {{contact.attributes.city}} ({{contact.visits}} visits)', { contact })).toBe('Ana Ruiz in Sevilla (3 visits)');
    expect(personalize('{{campaign.name}}: {{contact.email}}', { contact, campaign: { name: 'Tasting menu' } })).toBe('Tasting menu: ana@example.com');
  });

  it('uses the fallback for an empty, missing or unknown value', () => {
    expect(personalize('Hi {{contact.firstName|there}},', { contact: { firstName: '  ' } })).toBe('Hi there,');
    expect(personalize('Hi {{contact.firstName | friend }}', { contact: {} })).toBe('Hi friend');
    expect(personalize('[{{contact.nope.deep}}][{{order.id|x}}]', { contact })).toBe('[][x]');
    expect(personalize('{{contact.name|you}}', { contact: { name: null, firstName: null } })).toBe('you');
  });

  it('leaves other braces alone and lists the variables once, in order', () => {
    expect(personalize('{ not } {{}} {{1}}', { contact })).toBe('{ not } {{}} {{1}}');
    expect(personalizationVariables('{{contact.firstName|a}} {{campaign.name}} {{contact.firstName}}')).toEqual(['contact.firstName', 'campaign.name']);
  });
});

describe('smsSegments', () => {
  it('counts GSM-7 and UCS-2 segments as carriers do', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1, characters: 160, perSegment: 160 });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2, perSegment: 153 });
    expect(smsSegments('a'.repeat(306))).toMatchObject({ segments: 2 });
    expect(smsSegments('a'.repeat(307))).toMatchObject({ segments: 3 });
    expect(smsSegments('Table for two? 😀')).toMatchObject({ encoding: 'UCS-2', segments: 1, perSegment: 70 });
    expect(smsSegments('x'.repeat(71) + 'é'.repeat(0) + '’')).toMatchObject({ encoding: 'UCS-2', segments: 2, perSegment: 67 });
    // Extended GSM-7 characters take two.
    expect(smsSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', characters: 160, segments: 1 });
    expect(smsSegments('')).toMatchObject({ segments: 0 });
  });
});

describe('content limits', () => {
  it('warns on SMS beyond two segments, UCS-2 and no opt-out', () => {
    const long = `${'Our tasting menu is back. '.repeat(14)}Reply STOP to opt out`;
    expect(checkVariant({ sms: { text: long } })).toEqual([expect.stringMatching(/^sms: 3 segments/)]);
    expect(checkVariant({ sms: { text: 'Tasting menu on Friday 😀 Reply STOP to opt out' } })).toEqual([expect.stringMatching(/^sms: UCS-2 encoding \(😀\)/)]);
    expect(checkVariant({ sms: { text: 'Tasting menu on Friday' } })).toEqual(['sms: no opt-out instruction (e.g. "Reply STOP to opt out")']);
    expect(checkVariant({ sms: { text: 'Hi {{contact.firstname}}! Reply STOP to opt out' } })).toEqual([expect.stringMatching(/unknown variable \{\{contact.firstname\}\}/)]);
  });

  it('counts a variable at a typical length, not at its template', () => {
    expect(smsSizingText('Hi {{contact.firstName}}, {{contact.city|our favourite neighbourhood}}')).toBe('Hi xxxxxxxxxxxx, our favourite neighbourhood');
    // The template is 157 characters; with a 12-character name it takes 148: one segment.
    const text = `Hi {{ contact.firstName }} ${'a'.repeat(124)} STOP`;
    expect(smsSegments(text).segments).toBe(1);
    expect(checkVariant({ sms: { text } })).toEqual([]);
    // Ten more characters: the template is two segments, the message still one.
    const longer = text.replace(' STOP', `${'a'.repeat(10)} STOP`);
    expect(smsSegments(longer).segments).toBe(2);
    expect(checkVariant({ sms: { text: longer } })).toEqual([]);
    expect(checkVariant({ sms: { text: `Hi {{contact.firstName|${'b'.repeat(200)}}} ${'a'.repeat(110)} STOP` } })).toEqual([expect.stringMatching(/^sms: 3 segments/)]);
    expect(fitSms(`${'word '.repeat(70)}\nReply STOP to opt out`)).toMatch(/\.\.\.\nReply STOP to opt out$/);
  });

  it('checks WhatsApp, email, Messenger and social limits', () => {
    const warnings = checkVariant({
      whatsapp: { text: 'x'.repeat(1100), template: { name: 'promo', language: 'en', parameters: ['two\nlines'] } },
      email: { subject: 'S'.repeat(70), preheader: '', html: '<p>Hi</p>', text: 'Hi' },
      messenger: { text: 'Hi', tag: 'POST_PURCHASE_UPDATE' },
      social: { instagram: Array.from({ length: 31 }, (_, i) => `#t${i}`).join(' '), facebook: 'ok', google: 'g'.repeat(1501) },
    });
    expect(warnings).toEqual([
      'whatsapp: 1100 characters; a template body takes at most 1024',
      'whatsapp: parameter {{1}} has a line break, a tab or more than four spaces in a row, which WhatsApp refuses',
      'email: subject of 70 characters; inboxes show about 60',
      'email: no preheader: inboxes show the first words of the body instead',
      'messenger: the POST_PURCHASE_UPDATE tag is for non-promotional updates only; Meta forbids promotional content under a tag',
      'social: Instagram takes at most 30 hashtags',
      'social: Google Business post over 1500 characters',
    ]);
  });

  it('fits generated content within the hard limits, keeping the opt-out line', () => {
    const sms = `Our “tasting menu” is back – ${'six courses, paired wines, '.repeat(20)}book now.\nReply STOP to opt out`;
    const { content, changed } = fitVariant({
      sms: { text: sms },
      whatsapp: { text: 'w'.repeat(5000) },
      social: { instagram: 'word '.repeat(600), facebook: 'f', google: 'g' },
    });
    expect(smsSegments(content.sms!.text)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(content.sms!.text).toMatch(/^Our "tasting menu" is back - six courses.*\.\.\.\nReply STOP to opt out$/s);
    expect(content.whatsapp!.text.length).toBeLessThanOrEqual(4096);
    expect(content.social!.instagram.length).toBeLessThanOrEqual(2200);
    expect(changed).toEqual(['sms: shortened to fit', 'whatsapp: shortened to fit', 'social: Instagram caption shortened']);
    expect(checkVariant(content).filter((w) => w.startsWith('sms'))).toEqual([]);
    expect(gsmPunctuation('It’s “great” — really…')).toBe(`It's "great" - really...`);
  });
});
