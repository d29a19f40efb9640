/**
 * A segment filter's editor: all/any, and one row per condition with the controls its field takes
 * (core/campaigns/segments.ts), plus the live count: total and reachable per channel, asked again
 * 400 ms after the last change.
 */
import { useEffect, useState } from 'react';
import { CAMPAIGN_CHANNELS } from '../../../../core/campaigns/channels';
import { api } from '../../api/client';
import { Button, Input, Select } from '../../ui';
import { errorMessage } from '../shared/errors';
import { CHANNEL_LABELS, type AudienceCount, type SegmentCondition, type SegmentFilter } from './types';

type FieldName = SegmentCondition['field'];
const FIELDS: { value: FieldName; label: string }[] = [
  { value: 'tag', label: 'Tag' },
  { value: 'attribute', label: 'Attribute' },
  { value: 'reachable', label: 'Reachable on' },
  { value: 'consent', label: 'Consent on' },
  { value: 'lastSeen', label: 'Last seen' },
  { value: 'replied', label: 'Replied' },
  { value: 'createdAt', label: 'Added' },
];
const CHANNELS = CAMPAIGN_CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] }));
const PERIOD = [
  { value: 'within_days', label: 'in the last' },
  { value: 'not_within_days', label: 'not in the last' },
];

export function newCondition(field: FieldName): SegmentCondition {
  switch (field) {
    case 'tag':
      return { field, op: 'has', value: '' };
    case 'attribute':
      return { field, key: '', op: 'eq', value: '' };
    case 'reachable':
      return { field, channel: 'sms' };
    case 'consent':
      return { field, channel: 'sms', op: 'opted_in' };
    default:
      return { field, op: 'within_days', days: 30 };
  }
}

function ConditionControls({ c, onChange, disabled }: { c: SegmentCondition; onChange: (c: SegmentCondition) => void; disabled: boolean }) {
  const common = { disabled };
  switch (c.field) {
    case 'tag':
      return (
        <>
          <Select aria-label="Tag test" value={c.op} {...common} options={[{ value: 'has', label: 'has' }, { value: 'not_has', label: 'does not have' }]} onChange={(e) => onChange({ ...c, op: e.target.value as 'has' })} />
          <Input aria-label="Tag" value={c.value} {...common} placeholder="vip" onChange={(e) => onChange({ ...c, value: e.target.value })} />
        </>
      );
    case 'attribute': {
      const needsValue = c.op !== 'exists' && c.op !== 'not_exists';
      return (
        <>
          <Input aria-label="Attribute" value={c.key} {...common} placeholder="city" onChange={(e) => onChange({ ...c, key: e.target.value })} />
          <Select
            aria-label="Attribute test"
            value={c.op}
            {...common}
            options={['eq', 'neq', 'contains', 'gt', 'lt', 'exists', 'not_exists'].map((op) => ({ value: op, label: { eq: '=', neq: '≠', contains: 'contains', gt: '>', lt: '<', exists: 'is set', not_exists: 'is not set' }[op]! }))}
            onChange={(e) => onChange({ ...c, op: e.target.value as 'eq' })}
          />
          {needsValue && (
            <Input
              aria-label="Attribute value"
              value={String(c.value ?? '')}
              {...common}
              onChange={(e) => onChange({ ...c, value: (c.op === 'gt' || c.op === 'lt') && e.target.value.trim() !== '' && !Number.isNaN(Number(e.target.value)) ? Number(e.target.value) : e.target.value })}
            />
          )}
        </>
      );
    }
    case 'reachable':
      return <Select aria-label="Channel" value={c.channel} {...common} options={CHANNELS} onChange={(e) => onChange({ ...c, channel: e.target.value as 'sms' })} />;
    case 'consent':
      return (
        <>
          <Select aria-label="Channel" value={c.channel} {...common} options={CHANNELS} onChange={(e) => onChange({ ...c, channel: e.target.value as 'sms' })} />
          <Select aria-label="Consent" value={c.op} {...common} options={[{ value: 'opted_in', label: 'is opted in' }, { value: 'opted_out', label: 'is opted out' }, { value: 'unknown', label: 'was never asked' }]} onChange={(e) => onChange({ ...c, op: e.target.value as 'opted_in' })} />
        </>
      );
    default:
      return (
        <>
          <Select aria-label="Period" value={c.op} {...common} options={PERIOD} onChange={(e) => onChange({ ...c, op: e.target.value as 'within_days' })} />
          <Input aria-label="Days" type="number" min={1} max={3650} value={c.days} {...common} onChange={(e) => onChange({ ...c, days: Number(e.target.value) })} />
          <span className="pg-muted">days</span>
        </>
      );
  }
}

export function FilterEditor({ filter, onChange, disabled }: { filter: SegmentFilter; onChange: (f: SegmentFilter) => void; disabled: boolean }) {
  const setCondition = (i: number, c: SegmentCondition) => onChange({ ...filter, conditions: filter.conditions.map((x, j) => (j === i ? c : x)) });
  return (
    <div className="pg-col">
      <div className="pg-row aud-match">
        <span>Contacts matching</span>
        <Select aria-label="Match" value={filter.match} disabled={disabled} options={[{ value: 'all', label: 'all' }, { value: 'any', label: 'any' }]} onChange={(e) => onChange({ ...filter, match: e.target.value as 'all' })} />
        <span>of these conditions{filter.conditions.length === 0 ? ' (none: everyone)' : ''}</span>
      </div>
      <ol className="aud-conditions" aria-label="Conditions">
        {filter.conditions.map((c, i) => (
          <li key={i} className="pg-row">
            <Select aria-label="Condition field" value={c.field} disabled={disabled} options={FIELDS} onChange={(e) => setCondition(i, newCondition(e.target.value as FieldName))} />
            <ConditionControls c={c} disabled={disabled} onChange={(next) => setCondition(i, next)} />
            <Button size="sm" variant="ghost" disabled={disabled} aria-label={`Remove condition ${i + 1}`} onClick={() => onChange({ ...filter, conditions: filter.conditions.filter((_, j) => j !== i) })}>
              Remove
            </Button>
          </li>
        ))}
      </ol>
      <div>
        <Button size="sm" disabled={disabled} onClick={() => onChange({ ...filter, conditions: [...filter.conditions, newCondition('tag')] })}>
          Add condition
        </Button>
      </div>
    </div>
  );
}

/** The filter's audience, counted live. */
export function LiveCount({ filter }: { filter: SegmentFilter }) {
  const [count, setCount] = useState<AudienceCount | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(filter);
  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      api
        .post<AudienceCount>('/v1/segments/count', { filter })
        .then((c) => !stale && (setCount(c), setError(null)))
        .catch((err) => !stale && setError(errorMessage(err)));
    }, 400);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return (
    <div className="aud-count" role="status" aria-label="Audience count">
      {error ? (
        <span className="pg-error-text">{error}</span>
      ) : count ? (
        <>
          <strong>{count.total.toLocaleString()}</strong> contacts ·{' '}
          {CAMPAIGN_CHANNELS.map((c) => `${CHANNEL_LABELS[c]} ${count.reachable[c].toLocaleString()}`).join(' · ')} reachable
        </>
      ) : (
        <span className="pg-muted">Counting…</span>
      )}
    </div>
  );
}
