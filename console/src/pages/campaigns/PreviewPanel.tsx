/**
 * The message one contact would get: pick a contact (searched by name, email or phone) and see each
 * channel's content of a variant with their values filled in, and which variables have none.
 * Renders the stored content, so edits show once saved.
 */
import { useState } from 'react';
import { api } from '../../api/client';
import { Field, Input, Select } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { ChannelContent } from './ContentView';
import { VideoSummary } from './VariantVideo';
import { CHANNEL_LABELS, type CampaignChannel, type ContactSummary, type Page, type Preview } from './types';

export function PreviewPanel({ campaignId, variant, stale }: { campaignId: string; variant: string; stale?: boolean }) {
  const [search, setSearch] = useState('');
  const [contactId, setContactId] = useState('');
  const contacts = useQuery(async () => (await api.get<Page<ContactSummary>>(`/v1/contacts?${new URLSearchParams({ q: search, limit: '20' })}`)).items, [search]);
  const preview = useQuery(
    () => api.get<Preview>(`/v1/campaigns/${campaignId}/preview?${new URLSearchParams({ variant, ...(contactId ? { contactId } : {}) })}`),
    [campaignId, variant, contactId, stale],
  );
  const label = (c: ContactSummary) => c.name || [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.phone || c.id;
  return (
    <aside className="cp-preview" aria-label={`Preview, variant ${variant}`}>
      <h3 className="pg-h3">Preview</h3>
      <div className="pg-row">
        <Field label="Find a contact">
          <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name, email or phone" />
        </Field>
        <Field label="Preview as">
          <Select
            value={contactId}
            onChange={(e) => setContactId(e.target.value)}
            options={[{ value: '', label: 'Nobody (fallbacks)' }, ...(contacts.data ?? []).map((c) => ({ value: c.id, label: label(c) }))]}
          />
        </Field>
      </div>
      {stale && <p className="pg-muted">Save to preview your latest edits.</p>}
      <QueryStatus query={preview} loadingLabel="Rendering the preview">
        {(p) =>
          p && (
            <>
              {p.missing.length > 0 && <p className="cp-warnings">No value for {p.missing.join(', ')}: left empty.</p>}
              {(Object.keys(p.channels) as CampaignChannel[]).map((ch) => (
                <section key={ch} className="cp-channel" aria-label={`${CHANNEL_LABELS[ch]} preview`}>
                  <h4 className="pg-h3">{CHANNEL_LABELS[ch]}</h4>
                  <ChannelContent channel={ch} content={{ [ch]: p.channels[ch] }} />
                </section>
              ))}
              {p.video && <VideoSummary video={p.video} personalized={p.video.personalized} />}
            </>
          )
        }
      </QueryStatus>
    </aside>
  );
}
