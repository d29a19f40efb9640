/**
 * The content step: one tab per variant with its channels' fields, regenerate everything or one
 * channel (the edits are saved first, so the writer sees them), add or drop variants, and preview
 * the personalized message for a real contact.
 */
import { useState } from 'react';
import { api } from '../../../api/client';
import { Button, Tabs } from '../../../ui';
import { writtenBy } from '../ContentView';
import { PreviewPanel } from '../PreviewPanel';
import type { Campaign, CampaignChannel, CampaignVariant, VariantContent } from '../types';
import type { StepProps } from './step';
import { VariantEditor } from './VariantEditor';

const IDS = ['A', 'B', 'C', 'D'] as const;

/** Empty fields for each channel, for content written by hand. */
function blankContent(channels: readonly CampaignChannel[]): VariantContent {
  const content: VariantContent = {};
  for (const ch of channels) {
    if (ch === 'sms') content.sms = { text: '' };
    if (ch === 'whatsapp') content.whatsapp = { text: '' };
    if (ch === 'email') content.email = { subject: '', preheader: '', html: '', text: '' };
    if (ch === 'messenger') content.messenger = { text: '' };
  }
  return content;
}

export function ContentStep({ campaign, draft, setDraft, save, run, busy, setCampaign }: StepProps) {
  const channels = draft.channels ?? [];
  const variants: CampaignVariant[] = draft.variants?.length ? draft.variants : [{ id: 'A', content: blankContent(channels), generatedBy: 'edited', warnings: [] }];
  const [active, setActive] = useState(variants[0].id);
  const current = variants.find((v) => v.id === active) ?? variants[0];

  const setVariants = (list: CampaignVariant[]) => setDraft({ variants: list });
  const edit = (id: string, content: VariantContent) => setVariants(variants.map((v) => (v.id === id ? { ...v, content, generatedBy: 'edited' } : v)));
  const add = () => {
    const id = IDS.find((i) => !variants.some((v) => v.id === i))!;
    setVariants([...variants, { id, content: structuredClone(current.content), generatedBy: 'edited', warnings: [] }]);
    setActive(id);
  };
  const remove = (id: string) => {
    setVariants(variants.filter((v) => v.id !== id));
    setActive(variants[0].id === id ? variants[1].id : variants[0].id);
  };
  const regenerate = (channelsOnly?: CampaignChannel[]) =>
    run('generate', async () => {
      // Unsaved edits first: the writer keeps what it is not asked to rewrite.
      const stored = await save();
      setCampaign(await api.post<Campaign>(`/v1/campaigns/${stored.id}/generate`, channelsOnly ? { channelsOnly } : {}));
    });

  return (
    <div className="pg-col">
      <div className="pg-row pg-row-between">
        <p className="pg-muted">
          Personalize with {'{{contact.firstName|there}}'}: a variable, and after | what to write when a contact has no value.
        </p>
        <div className="pg-row">
          <Button disabled={busy !== null || variants.length >= IDS.length} onClick={add}>
            Add variant
          </Button>
          <Button disabled={busy !== null} onClick={() => void regenerate()}>
            {busy === 'generate' ? 'Writing…' : 'Regenerate all'}
          </Button>
        </div>
      </div>
      <Tabs
        label="Variants"
        active={current.id}
        onChange={setActive}
        tabs={variants.map((v) => ({
          id: v.id,
          label: `Variant ${v.id}`,
          content: (
            <div className="cp-split">
              <div className="pg-col">
                <VariantEditor variantId={v.id} channels={channels} content={v.content} onChange={(c) => edit(v.id, c)} onRegenerate={(ch) => void regenerate([ch])} busy={busy !== null} />
                {v.warnings.length > 0 && (
                  <ul className="cp-warnings" aria-label={`Warnings, variant ${v.id}`}>
                    {v.warnings.map((w) => (
                      <li key={w}>{w}</li>
                    ))}
                  </ul>
                )}
                <p className="pg-muted">{writtenBy(v.generatedBy)}</p>
                {variants.length > 1 && (
                  <div>
                    <Button variant="ghost" onClick={() => remove(v.id)}>
                      Remove variant {v.id}
                    </Button>
                  </div>
                )}
              </div>
              {campaign && <PreviewPanel campaignId={campaign.id} variant={v.id} stale={draft.variants !== campaign.variants} />}
            </div>
          ),
        }))}
      />
    </div>
  );
}
