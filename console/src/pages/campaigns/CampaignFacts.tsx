/** A campaign's settings in one list: audience, channels, schedule, quiet hours, rate, A/B, approvals. */
import { api } from '../../api/client';
import { formatDateTime } from '../shared/format';
import { useQuery } from '../shared/useQuery';
import { sendLabel } from './CampaignList';
import { CHANNEL_LABELS, type Campaign, type CampaignChannel, type Segment } from './types';

export function CampaignFacts({ campaign: c }: { campaign: Campaign }) {
  const segment = useQuery(() => api.get<Segment>(`/v1/segments/${c.segmentId}`), [c.segmentId], { enabled: Boolean(c.segmentId) });
  const rates = Object.entries(c.ratePerSecond).map(([ch, n]) => `${CHANNEL_LABELS[ch as keyof typeof CHANNEL_LABELS]} ${n}/s`);
  return (
    <dl className="pg-dl" aria-label="Campaign settings">
      {c.brief && (
        <>
          <dt>Goal</dt>
          <dd>{c.brief.goal}</dd>
        </>
      )}
      <dt>Audience</dt>
      <dd>{c.segmentId ? (segment.data?.name ?? 'A segment') : 'All contacts'}</dd>
      <dt>Channels</dt>
      <dd>{c.channels.map((ch) => CHANNEL_LABELS[ch]).join(' → ')}</dd>
      <dt>Sends</dt>
      <dd>
        {sendLabel(c)}
        {c.timezone && !c.startedAt && c.sendAt ? ` (${c.timezone})` : ''}
      </dd>
      <dt>Quiet hours</dt>
      <dd>
        {c.quietHours
          ? [`${c.quietHours.start}–${c.quietHours.end}`, ...Object.entries(c.quietHours.channels ?? {}).map(([ch, w]) => `${CHANNEL_LABELS[ch as CampaignChannel]} ${w!.start}–${w!.end}`)].join(', ') + ", recipient's time"
          : 'None'}
      </dd>
      <dt>Rate</dt>
      <dd>{rates.length ? rates.join(', ') : "Each channel's own limit"}</dd>
      <dt>A/B test</dt>
      <dd>
        {c.abTest
          ? `${c.abTest.sharePercent}% split across ${c.variants.length} variants, winner by ${c.abTest.metric} rate after ${c.abTest.waitMinutes} min${c.winnerVariant ? `: variant ${c.winnerVariant} won` : ''}`
          : 'No'}
      </dd>
      {c.submitted && (
        <>
          <dt>Submitted</dt>
          <dd>{`${formatDateTime(c.submitted.at)} by ${c.submitted.by}`}</dd>
        </>
      )}
      {c.approved && (
        <>
          <dt>Approved</dt>
          <dd>{`${formatDateTime(c.approved.at)} by ${c.approved.by}`}</dd>
        </>
      )}
    </dl>
  );
}
