/**
 * The brief: what the campaign is for and what it may say, the channels in priority order (a
 * recipient gets one message, on the first channel they can be reached on), the brand voice and
 * how many variants to write. From here the model (or the offline template writer) writes the
 * content, or the marketer writes it.
 */
import { api } from '../../../api/client';
import { Button, Checkbox, Field, Input, Select, Textarea } from '../../../ui';
import { useQuery } from '../../shared/useQuery';
import { CAMPAIGN_CHANNELS, CHANNEL_LABELS, type BrandVoice, type Campaign, type CampaignBrief, type CampaignChannel, type Page } from '../types';
import type { StepProps } from './step';

export const emptyBrief = (channels: CampaignChannel[]): CampaignBrief => ({ goal: '', channels, variants: 1 });

export function BriefStep({ campaign, draft, setDraft, save, run, busy, setCampaign, onGenerated }: StepProps & { onGenerated: (c: Campaign) => void }) {
  const voices = useQuery(async () => (await api.get<Page<BrandVoice>>('/v1/brand-voices')).items, []);
  const knowledge = useQuery(async () => (await api.get<{ knowledgeBases: { id: string; name: string }[] }>('/v1/knowledge-bases')).knowledgeBases, []);
  const channels = draft.channels ?? [];
  const brief = draft.brief ?? emptyBrief(channels);
  const setBrief = (patch: Partial<CampaignBrief>) => setDraft({ brief: { ...brief, ...patch } });
  const setChannels = (list: CampaignChannel[]) => setDraft({ channels: list, brief: { ...brief, channels: list } });
  const toggle = (ch: CampaignChannel, on: boolean) => setChannels(on ? [...channels, ch] : channels.filter((c) => c !== ch));
  const raise = (i: number) => setChannels(channels.map((c, j) => (j === i - 1 ? channels[i] : j === i ? channels[i - 1] : c)));
  const optional = (value: string) => (value.trim() ? value : undefined);

  const generate = () =>
    run('generate', async () => {
      const stored = await save();
      const generated = await api.post<Campaign>(`/v1/campaigns/${stored.id}/generate`, {});
      setCampaign(generated);
      onGenerated(generated);
    });
  const writeMyself = () =>
    run('write', async () => {
      const stored = await save();
      onGenerated(stored);
    });

  return (
    <form className="pg-col cp-form" aria-label="Brief" onSubmit={(e) => (e.preventDefault(), void generate())}>
      <Field label="Campaign name">
        <Input value={draft.name ?? ''} onChange={(e) => setDraft({ name: e.target.value })} required maxLength={200} />
      </Field>
      <Field label="Goal" help="What should people do or know? The content says nothing beyond the brief and its facts.">
        <Textarea rows={2} value={brief.goal} onChange={(e) => setBrief({ goal: e.target.value })} />
      </Field>
      <div className="cp-grid2">
        <Field label="Offer">
          <Input value={brief.offer ?? ''} onChange={(e) => setBrief({ offer: optional(e.target.value) })} />
        </Field>
        <Field label="Dates" help="Free text: “every Friday in March”">
          <Input value={brief.dates ?? ''} onChange={(e) => setBrief({ dates: optional(e.target.value) })} />
        </Field>
        <Field label="Call to action">
          <Input value={brief.callToAction ?? ''} onChange={(e) => setBrief({ callToAction: optional(e.target.value) })} />
        </Field>
        <Field label="Link" help="Tracked per recipient when sent">
          <Input type="url" value={brief.link ?? ''} onChange={(e) => setBrief({ link: optional(e.target.value) })} />
        </Field>
      </div>
      <Field label="Facts" help="One per line: menu items, prices, what the content may state">
        <Textarea rows={3} value={(brief.facts ?? []).join('\n')} onChange={(e) => setBrief({ facts: e.target.value.split('\n').some((l) => l.trim()) ? e.target.value.split('\n') : undefined })} />
      </Field>
      <Field label="Channels" help="In priority order: each recipient gets one message, on the first channel they can be reached on">
        <div className="cp-channels">
          {CAMPAIGN_CHANNELS.map((ch) => (
            <Checkbox key={ch} label={CHANNEL_LABELS[ch]} checked={channels.includes(ch)} onChange={(e) => toggle(ch, e.target.checked)} />
          ))}
        </div>
      </Field>
      {channels.length > 1 && (
        <ol className="cp-priority" aria-label="Channel priority">
          {channels.map((ch, i) => (
            <li key={ch}>
              {CHANNEL_LABELS[ch]}
              {i > 0 && (
                <Button size="sm" variant="ghost" onClick={() => raise(i)} aria-label={`Move ${CHANNEL_LABELS[ch]} up`}>
                  ↑
                </Button>
              )}
            </li>
          ))}
        </ol>
      )}
      <div className="cp-grid2">
        <Field label="Brand voice">
          <Select
            value={brief.brandVoiceId ?? ''}
            onChange={(e) => setBrief({ brandVoiceId: optional(e.target.value) })}
            options={[{ value: '', label: 'The default voice' }, ...(voices.data ?? []).map((v) => ({ value: v.id, label: v.name }))]}
          />
        </Field>
        <Field label="Facts from a knowledge base">
          <Select
            value={brief.knowledgeBaseId ?? ''}
            onChange={(e) => setBrief({ knowledgeBaseId: optional(e.target.value) })}
            options={[{ value: '', label: 'None' }, ...(knowledge.data ?? []).map((k) => ({ value: k.id, label: k.name }))]}
          />
        </Field>
        <Field label="Language" help="e.g. en, fr, es; default: the brand voice's">
          <Input value={brief.language ?? ''} onChange={(e) => setBrief({ language: optional(e.target.value) })} maxLength={20} />
        </Field>
        <Field label="Variants" help="Two or more for an A/B test">
          <Select value={String(brief.variants ?? 1)} onChange={(e) => setBrief({ variants: Number(e.target.value) })} options={['1', '2', '3', '4']} />
        </Field>
      </div>
      <Checkbox label="Also write social captions (Instagram, Facebook, Google Business) to copy" checked={brief.social ?? false} onChange={(e) => setBrief({ social: e.target.checked || undefined })} />
      <div className="pg-row pg-row-end">
        <Button disabled={busy !== null} onClick={() => void writeMyself()}>
          {campaign?.variants.length ? 'Keep the content' : 'Write it myself'}
        </Button>
        <Button type="submit" variant="primary" disabled={busy !== null}>
          {busy === 'generate' ? 'Writing…' : campaign?.variants.length ? 'Regenerate content' : 'Generate content'}
        </Button>
      </div>
    </form>
  );
}
