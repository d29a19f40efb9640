/** The inbox's intent and sentiment: filters over the list, and the badges on each conversation. */
import { api } from '../../api/client';
import { Badge, Field, Select } from '../../ui';
import { useQuery } from '../shared/useQuery';
import type { InboxFilters } from './useConversations';
import type { InboxConversation } from './types';

const SENTIMENT_TONES = { positive: 'success', neutral: 'neutral', negative: 'danger' } as const;

export function ConversationLabels({ labels }: { labels: NonNullable<InboxConversation['labels']> }) {
  const by = labels.labelledBy === 'model' ? 'by the model' : 'offline';
  return (
    <>
      <Badge tone="info" title={`Intent ${by}${labels.intentConfidence === null ? '' : `, ${Math.round(labels.intentConfidence * 100)}% confident`}`}>
        {labels.intent}
      </Badge>
      <Badge tone={SENTIMENT_TONES[labels.sentiment]} title={`Sentiment ${by}, score ${labels.sentimentScore}`}>
        {labels.sentiment}
      </Badge>
    </>
  );
}

export function LabelFilters({ filters, onFilters }: { filters: InboxFilters; onFilters: (f: InboxFilters) => void }) {
  const intents = useQuery(async () => (await api.get<{ items: { name: string }[] }>('/v1/intents')).items, []);
  return (
    <>
      <Field label="Intent">
        <Select
          value={filters.intent}
          onChange={(e) => onFilters({ ...filters, intent: e.target.value })}
          options={[{ value: '', label: 'Any intent' }, ...(intents.data ?? []).map((i) => ({ value: i.name, label: i.name })), { value: 'unknown', label: 'unknown' }]}
        />
      </Field>
      <Field label="Sentiment">
        <Select
          value={filters.sentiment}
          onChange={(e) => onFilters({ ...filters, sentiment: e.target.value as InboxFilters['sentiment'] })}
          options={[
            { value: '', label: 'Any sentiment' },
            { value: 'positive', label: 'positive' },
            { value: 'neutral', label: 'neutral' },
            { value: 'negative', label: 'negative' },
          ]}
        />
      </Field>
    </>
  );
}
