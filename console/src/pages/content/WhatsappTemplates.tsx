/**
 * A WhatsApp channel's message templates: each with Meta's review status (kept current by the
 * status webhook; "Refresh from Meta" reads them all again), and the form that submits a new one
 * for review. Outside the 24-hour window campaigns reach WhatsApp contacts only with an approved one.
 */
import { useState } from 'react';
import type { z } from 'zod';
import type { channelDto } from '../../../../core/api/channels';
import type { WhatsappTemplateDto } from '../../../../core/api/content';
import { templateParameterNumbers, WHATSAPP_TEMPLATE_CATEGORIES, type WhatsappTemplateCategory, type WhatsappTemplateStatus } from '../../../../core/campaigns/whatsapp-templates';
import { api } from '../../api/client';
import { Badge, Button, EmptyState, Field, FormDialog, Input, Panel, Select, Table, Textarea, useToast, type Tone } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit, useToastAction } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';

type Channel = z.infer<typeof channelDto>;

export const STATUS_TONES: Record<WhatsappTemplateStatus, Tone> = { PENDING: 'info', APPROVED: 'success', REJECTED: 'danger', PAUSED: 'warning', DISABLED: 'neutral' };

/** Every WhatsApp channel of the tenant with its templates. */
export function WhatsappChannelsTemplates({ canManage }: { canManage: boolean }) {
  const channels = useQuery(async () => (await api.get<{ channels: Channel[] }>('/v1/channels')).channels.filter((c) => c.type === 'whatsapp'), []);
  return (
    <QueryStatus query={channels} loadingLabel="Loading channels">
      {(list) =>
        list?.length === 0 ? (
          <EmptyState title="No WhatsApp channel">Connect a WhatsApp number to submit message templates.</EmptyState>
        ) : (
          <div className="pg-col">
            {list?.map((c) => (
              <WhatsappTemplates key={c.id} channel={c} canManage={canManage} />
            ))}
          </div>
        )
      }
    </QueryStatus>
  );
}

export function WhatsappTemplates({ channel, canManage }: { channel: Channel; canManage: boolean }) {
  const toast = useToast();
  const templates = useQuery(async () => (await api.get<{ items: WhatsappTemplateDto[] }>(`/v1/channels/${channel.id}/whatsapp-templates`)).items, [channel.id]);
  const [submitting, setSubmitting] = useState(false);
  const refresh = useToastAction();
  const noAccount = !channel.settings.businessAccountId;

  return (
    <Panel
      title={`${channel.name}: WhatsApp templates`}
      actions={
        canManage && (
          <div className="pg-row">
            <Button
              size="sm"
              disabled={refresh.busy || noAccount}
              onClick={() =>
                void refresh.run('refresh', async () => {
                  const res = await api.post<{ added: number; updated: number }>(`/v1/channels/${channel.id}/whatsapp-templates/refresh`);
                  toast.success(`Refreshed: ${res.updated} changed, ${res.added} added`);
                  await templates.reload();
                })
              }
            >
              Refresh from Meta
            </Button>
            <Button size="sm" variant="primary" disabled={noAccount} onClick={() => setSubmitting(true)}>
              Submit template
            </Button>
          </div>
        )
      }
    >
      {noAccount && <p className="pg-muted">Set the channel’s business account id (settings.businessAccountId) to manage its templates.</p>}
      <QueryStatus query={templates} loadingLabel="Loading templates">
        {(items) => (
          <Table
            caption={`Templates of ${channel.name}`}
            rows={items ?? []}
            rowKey={(t) => t.id}
            empty="No templates yet."
            columns={[
              { key: 'name', header: 'Name', render: (t) => <span className="pg-mono">{t.name}</span> },
              { key: 'language', header: 'Language', render: (t) => t.language },
              { key: 'category', header: 'Category', render: (t) => t.category },
              { key: 'body', header: 'Body', render: (t) => t.body },
              {
                key: 'status',
                header: 'Status',
                render: (t) => (
                  <Badge tone={STATUS_TONES[t.status]} title={t.rejectedReason ?? undefined}>
                    {t.status}
                    {t.rejectedReason ? `: ${t.rejectedReason}` : ''}
                  </Badge>
                ),
              },
            ]}
          />
        )}
      </QueryStatus>
      {submitting && (
        <SubmitTemplate
          channelId={channel.id}
          onClose={() => setSubmitting(false)}
          onSubmitted={() => {
            setSubmitting(false);
            void templates.reload();
          }}
        />
      )}
    </Panel>
  );
}

function SubmitTemplate({ channelId, onClose, onSubmitted }: { channelId: string; onClose: () => void; onSubmitted: () => void }) {
  const toast = useToast();
  const [name, setName] = useState('');
  const [language, setLanguage] = useState('en_US');
  const [category, setCategory] = useState<WhatsappTemplateCategory>('MARKETING');
  const [body, setBody] = useState('');
  const [examples, setExamples] = useState('');
  const parameters = new Set(templateParameterNumbers(body)).size;
  const { submit, busy, errors, fieldError } = useSubmit(['name', 'language', 'category', 'body', 'examples'], async () => {
    const created = await api.post<WhatsappTemplateDto>(`/v1/channels/${channelId}/whatsapp-templates`, {
      name,
      language,
      category,
      body,
      examples: examples.split('\n').map((e) => e.trim()).filter(Boolean),
    });
    toast.success(`Submitted ${created.name}: ${created.status}`);
    onSubmitted();
  });
  return (
    <FormDialog title="Submit a WhatsApp template" open onClose={onClose} onSubmit={() => void submit()} submitLabel="Submit for review" busy={busy} error={errors.form}>
      <Field label="Name" help="Lower-case letters, digits and underscores." error={fieldError('name')}>
        <Input value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </Field>
      <div className="pg-row">
        <Field label="Language" help="e.g. en_US, fr" error={fieldError('language')}>
          <Input value={language} onChange={(e) => setLanguage(e.target.value)} />
        </Field>
        <Field label="Category" error={fieldError('category')}>
          <Select value={category} onChange={(e) => setCategory(e.target.value as WhatsappTemplateCategory)} options={[...WHATSAPP_TEMPLATE_CATEGORIES]} />
        </Field>
      </div>
      <Field label="Body" help="Parameters are {{1}}, {{2}}… in order; at most 1024 characters." error={fieldError('body')}>
        <Textarea rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
      </Field>
      <Field label={`Sample values (${parameters})`} help="One per line, one per parameter: Meta reviews the template with them." error={fieldError('examples')}>
        <Textarea rows={Math.max(2, parameters)} value={examples} onChange={(e) => setExamples(e.target.value)} />
      </Field>
    </FormDialog>
  );
}

