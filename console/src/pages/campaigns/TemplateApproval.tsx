/**
 * The WhatsApp templates a campaign names, with Meta's review status on the campaign's WhatsApp
 * channel: approval is refused until each is APPROVED (activities/campaigns/lifecycle.ts), so the
 * marketer's review step and the approver see why before they press the button.
 */
import type { z } from 'zod';
import type { channelDto } from '../../../../core/api/channels';
import type { WhatsappTemplateDto } from '../../../../core/api/content';
import { api } from '../../api/client';
import { Badge } from '../../ui';
import { STATUS_TONES } from '../content/WhatsappTemplates';
import { useQuery } from '../shared/useQuery';
import type { Campaign } from './types';

type Channel = z.infer<typeof channelDto>;

/** The campaign's WhatsApp channel (the one it names, else the tenant's oldest, as the sender picks) and its templates. */
async function channelTemplates(named: string | undefined): Promise<{ channel: Channel | null; templates: WhatsappTemplateDto[] }> {
  const channels = (await api.get<{ channels: Channel[] }>('/v1/channels')).channels.filter((c) => c.type === 'whatsapp');
  const channel = channels.find((c) => c.id === named) ?? (named ? null : [...channels].sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0] ?? null);
  if (!channel) return { channel: null, templates: [] };
  return { channel, templates: (await api.get<{ items: WhatsappTemplateDto[] }>(`/v1/channels/${channel.id}/whatsapp-templates`)).items };
}

export function TemplateApproval({ campaign }: { campaign: Pick<Campaign, 'channels' | 'channelIds' | 'variants'> }) {
  const used = campaign.channels.includes('whatsapp') ? campaign.variants.flatMap((v) => (v.content.whatsapp?.template ? [{ variant: v.id, ...v.content.whatsapp.template }] : [])) : [];
  const named = campaign.channelIds?.whatsapp;
  const key = used.map((t) => `${t.name}:${t.language}`).join(',');
  const query = useQuery(() => channelTemplates(named), [key, named], { enabled: used.length > 0 });
  if (!used.length || !query.data) return null;
  const { channel, templates } = query.data;
  return (
    <section className="cp-channel" aria-label="WhatsApp template approval">
      <h4 className="pg-h3">WhatsApp templates{channel ? ` on ${channel.name}` : ''}</h4>
      <ul className="cp-template-list">
        {used.map((t) => {
          const found = templates.find((x) => x.name === t.name && x.language === t.language);
          return (
            <li key={`${t.variant}:${t.name}:${t.language}`}>
              Variant {t.variant}: {t.name} ({t.language}){' '}
              {found ? <Badge tone={STATUS_TONES[found.status]}>{found.status}</Badge> : <Badge tone="danger">not on the channel</Badge>}
              {found?.status !== 'APPROVED' && (
                <span className="cp-warnings">
                  {' '}
                  {found?.rejectedReason ? `${found.rejectedReason}. ` : ''}The campaign cannot be approved until Meta approves this template.
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
