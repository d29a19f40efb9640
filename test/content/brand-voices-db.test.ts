import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandVoiceFields, brandVoiceInstructions, stripEmoji, voiceViolations } from '../../core/campaigns/brand-voice';
import { tenantEm, type Orm } from '../../db/orm';
import { createBrandVoice, deleteBrandVoice, getBrandVoice, listBrandVoices, resolveBrandVoice, updateBrandVoice } from '../../db/repos';
import { makeTenant, testOrm } from '../db/fixtures';

let orm: Orm;
beforeAll(async () => {
  orm = await testOrm();
});
afterAll(() => orm.close(true));

const voice = (fields: Record<string, unknown>) => brandVoiceFields.parse(fields);

describe('brand voices in PostgreSQL', () => {
  it('keep one default per tenant, the first voice being it, and stay within their tenant', async () => {
    const a = await makeTenant(orm);
    const b = await makeTenant(orm);
    const warm = await createBrandVoice(tenantEm(orm, a.tenantId), a.tenantId, voice({ name: 'Warm', tone: 'warm, playful', useWords: ['feast'], avoidWords: ['cheap'], examples: ['Come hungry!'], emojiPolicy: 'none' }));
    expect(warm.isDefault).toBe(true);
    const crisp = await createBrandVoice(tenantEm(orm, a.tenantId), a.tenantId, voice({ name: 'Crisp', isDefault: true }));
    expect(crisp.isDefault).toBe(true);
    const listed = await listBrandVoices(tenantEm(orm, a.tenantId));
    expect(listed.map((v) => [v.name, v.isDefault])).toEqual([['Crisp', true], ['Warm', false]]);
    expect(listed[1]).toMatchObject({ useWords: ['feast'], avoidWords: ['cheap'], examples: ['Come hungry!'], emojiPolicy: 'none', language: 'en' });

    await updateBrandVoice(tenantEm(orm, a.tenantId), warm.id, { isDefault: true, tone: 'warmer' });
    expect((await resolveBrandVoice(tenantEm(orm, a.tenantId)))?.name).toBe('Warm');
    expect((await resolveBrandVoice(tenantEm(orm, a.tenantId), crisp.id))?.name).toBe('Crisp');

    // Another tenant sees none of them and cannot change them.
    expect(await getBrandVoice(tenantEm(orm, b.tenantId), warm.id)).toBeNull();
    expect(await updateBrandVoice(tenantEm(orm, b.tenantId), warm.id, { name: 'Stolen' })).toBeNull();
    expect(await deleteBrandVoice(tenantEm(orm, b.tenantId), warm.id)).toBe(false);
    expect(await resolveBrandVoice(tenantEm(orm, b.tenantId))).toBeNull();
    expect(await deleteBrandVoice(tenantEm(orm, a.tenantId), warm.id)).toBe(true);
  });
});

describe('brand voice text', () => {
  const profile = voice({ name: 'Trattoria', tone: 'warm', useWords: ['homemade'], avoidWords: ['cheap', 'deal'], examples: ['Pasta night is back!'], emojiPolicy: 'none', language: 'it' });

  it('becomes instructions for the model', () => {
    expect(brandVoiceInstructions(profile)).toBe(
      [
        'Write in the brand voice "Trattoria".',
        'Tone: warm.',
        'Prefer these words and phrases: homemade.',
        'Never use these words: cheap, deal.',
        'Never use emoji.',
        'Language: it.',
        'Messages in this voice:',
        '- Pasta night is back!',
      ].join('\n'),
    );
  });

  it('finds avoided words as whole words and emoji against the policy', () => {
    expect(voiceViolations(profile, 'A cheap DEAL 🍝 but not ideals')).toEqual(['uses the avoided word "cheap"', 'uses the avoided word "deal"', 'has 1 emoji; the voice uses none']);
    expect(voiceViolations(profile, 'Homemade pasta, ideal for Friday')).toEqual([]);
    expect(stripEmoji('Pasta 🍝 night ❤️!')).toBe('Pasta night !');
  });
});
