/**
 * The audience: a saved segment (or every contact) with its live count — how many contacts, how
 * many reachable on each chosen channel (an address and consent, no opt-out) — then which
 * connected channel sends each campaign channel and which flow answers replies.
 */
import { api } from '../../../api/client';
import { Link } from '../../../app/router';
import { Field, Select, Spinner } from '../../../ui';
import { errorMessage } from '../../shared/errors';
import { Figure } from '../../shared/Figure';
import { useQuery } from '../../shared/useQuery';
import { CHANNEL_LABELS, type AudienceCount, type CampaignChannel, type ChannelSummary, type FlowSummary, type Page, type Segment } from '../types';
import type { StepProps } from './step';

const EVERYONE = { match: 'all', conditions: [] } as const;

export function AudienceStep({ draft, setDraft }: StepProps) {
  const channels = draft.channels ?? [];
  const segments = useQuery(async () => (await api.get<Page<Segment>>('/v1/segments?limit=200')).items, []);
  const connected = useQuery(async () => (await api.get<{ channels: ChannelSummary[] }>('/v1/channels')).channels, []);
  const flows = useQuery(async () => (await api.get<{ flows: FlowSummary[] }>('/v1/flows')).flows.filter((f) => f.latestVersion !== null), []);
  const segment = segments.data?.find((s) => s.id === draft.segmentId);
  const count = useQuery(
    () => api.post<AudienceCount>('/v1/segments/count', { filter: segment?.filter ?? EVERYONE }),
    [draft.segmentId, segment?.id],
    { enabled: !draft.segmentId || Boolean(segment) },
  );
  const setSender = (ch: CampaignChannel, id: string) => {
    const next = { ...draft.channelIds };
    if (id) next[ch] = id;
    else delete next[ch];
    setDraft({ channelIds: next });
  };

  return (
    <div className="pg-col cp-form">
      <Field label="Segment" help={<Link to="/segments">Edit segments</Link>}>
        <Select
          value={draft.segmentId ?? ''}
          onChange={(e) => setDraft({ segmentId: e.target.value || null })}
          options={[{ value: '', label: 'All contacts' }, ...(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))]}
        />
      </Field>
      <section className="cp-count" aria-label="Audience size" aria-live="polite">
        {count.error != null ? (
          <p className="pg-error-text">{errorMessage(count.error)}</p>
        ) : !count.data ? (
          <Spinner label="Counting the audience" />
        ) : (
          <dl className="sc-figures">
            <Figure label="Contacts" value={count.data.total} />
            {channels.map((ch) => (
              <Figure key={ch} label={`Reachable on ${CHANNEL_LABELS[ch]}`} value={count.data!.reachable[ch] ?? 0} />
            ))}
          </dl>
        )}
        <p className="pg-muted">Contacts without consent or an address on a channel, or who opted out, are skipped and counted in the results.</p>
      </section>
      {channels.map((ch) => {
        const options = (connected.data ?? []).filter((c) => c.type === ch);
        return (
          <Field key={ch} label={`Send ${CHANNEL_LABELS[ch]} through`} help={options.length === 0 ? `No ${CHANNEL_LABELS[ch]} channel is connected: an admin connects one under Settings.` : undefined}>
            <Select
              value={draft.channelIds?.[ch] ?? ''}
              onChange={(e) => setSender(ch, e.target.value)}
              options={[{ value: '', label: options.length === 1 ? `${options[0].name} (the only one)` : 'The first connected one' }, ...options.map((c) => ({ value: c.id, label: c.name }))]}
            />
          </Field>
        );
      })}
      <Field label="Replies are answered by" help="The flow that answers when someone replies to the campaign">
        <Select
          value={draft.flowId ?? ''}
          onChange={(e) => setDraft({ flowId: e.target.value || null })}
          options={[{ value: '', label: "The channel's own flow" }, ...(flows.data ?? []).map((f) => ({ value: f.id, label: f.name }))]}
        />
      </Field>
    </div>
  );
}
