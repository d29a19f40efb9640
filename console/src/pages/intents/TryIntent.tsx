/** "Try it": a sentence through the offline classifier, its top 3 intents with confidences and its sentiment. */
import { useState } from 'react';
import { api } from '../../api/client';
import { Badge, Button, Field, Input, Panel, Table } from '../../ui';
import { useSubmit } from '../shared/useAsyncAction';
import { percent, type ClassifyResult } from './types';

const TONE = { positive: 'success', neutral: 'neutral', negative: 'danger' } as const;

export function TryIntent() {
  const [text, setText] = useState('');
  const [result, setResult] = useState<ClassifyResult | null>(null);
  const classify = useSubmit(['text'], async () => setResult(await api.post<ClassifyResult>('/v1/intents/classify', { text })), {
    validate: () => (text.trim() ? null : ['text', 'Type a sentence to classify']),
  });
  return (
    <Panel title="Try it">
      <form className="pg-col" onSubmit={(e) => void classify.submit(e)}>
        <Field label="Sentence" error={classify.fieldError('text')}>
          <Input value={text} onChange={(e) => setText(e.target.value)} placeholder="My card still hasn't arrived" />
        </Field>
        <div className="pg-row">
          <Button type="submit" variant="primary" disabled={classify.busy}>
            Classify
          </Button>
        </div>
      </form>
      {result && (
        <div className="pg-col" aria-label="Classification">
          <p>
            Intent: <strong>{result.intent}</strong>
            {result.intent === 'unknown' && result.confidence !== null && <span className="pg-muted"> (best {percent(result.confidence)}, below the {percent(result.threshold)} threshold)</span>}
            {' · '}Sentiment: <Badge tone={TONE[result.sentiment]}>{result.sentiment}</Badge> <span className="pg-muted">{result.sentimentScore}</span>
          </p>
          <Table
            caption="Top intents"
            rows={result.top}
            rowKey={(r) => r.intent}
            empty="Add at least two intents with examples to classify."
            columns={[
              { key: 'intent', header: 'Intent', render: (r) => r.intent },
              { key: 'confidence', header: 'Confidence', render: (r) => percent(r.confidence) },
            ]}
          />
        </div>
      )}
    </Panel>
  );
}
