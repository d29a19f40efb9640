/**
 * The campaign wizard: brief → content (generated per channel, edited, regenerated) → audience →
 * schedule → review and submit. The campaign is created as a draft when the brief first goes to
 * the generator, and every "Next" saves it, so a reload (`#/campaigns/:id/edit?step=…`) resumes
 * where the marketer was. Only drafts and campaigns sent back with changes are edited here.
 */
import { useState } from 'react';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Link, navigate, useLocation } from '../../app/router';
import { Button, EmptyState, FormError, Panel, useToast } from '../../ui';
import { errorMessage } from '../shared/errors';
import { QueryStatus } from '../shared/QueryStatus';
import { useAsyncAction } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';
import { StatusBadge } from './StatusBadge';
import { editableFields, isEditable, type Campaign, type CampaignPatch, type CampaignState } from './types';
import { AudienceStep } from './wizard/AudienceStep';
import { BriefStep, emptyBrief } from './wizard/BriefStep';
import { ContentStep } from './wizard/ContentStep';
import { ReviewStep } from './wizard/ReviewStep';
import { ScheduleStep } from './wizard/ScheduleStep';
import type { StepProps } from './wizard/step';
import './campaigns.css';
import '../pages.css';

const STEPS = [
  { id: 'brief', label: 'Brief' },
  { id: 'content', label: 'Content' },
  { id: 'audience', label: 'Audience' },
  { id: 'schedule', label: 'Schedule' },
  { id: 'review', label: 'Review' },
] as const;
type StepId = (typeof STEPS)[number]['id'];

export function CampaignWizard({ campaignId }: { campaignId?: string }) {
  const { user } = useAuth();
  const loaded = useQuery(() => api.get<Campaign>(`/v1/campaigns/${campaignId}`), [campaignId], { enabled: Boolean(campaignId) });
  if (!can.market(user?.role)) return <EmptyState title="Marketers only">Ask an admin for the marketer role to write campaigns.</EmptyState>;
  if (!campaignId) return <Wizard campaign={null} />;
  return (
    <QueryStatus query={loaded} loadingLabel="Loading the campaign">
      {(c) =>
        c &&
        (isEditable(c.status) ? (
          <Wizard key={c.id} campaign={c} />
        ) : (
          <EmptyState title={`${c.name} can no longer be edited`} action={<Link to={`/campaigns/${c.id}`}>Open the campaign</Link>}>
            It is <StatusBadge status={c.status} />: content and audience are edited only in a draft or after changes were requested.
          </EmptyState>
        ))
      }
    </QueryStatus>
  );
}

/** The brief as the API takes it: blank fact lines (a textarea's trailing newline) left out. */
function withCleanBrief(body: CampaignPatch): CampaignPatch {
  if (!body.brief) return body;
  const facts = body.brief.facts?.map((f) => f.trim()).filter(Boolean);
  return { ...body, brief: { ...body.brief, facts: facts?.length ? facts : undefined } };
}

function Wizard({ campaign: initial }: { campaign: Campaign | null }) {
  const { query } = useLocation();
  const toast = useToast();
  const [campaign, setCampaign] = useState<Campaign | null>(initial);
  const [draft, setDraftState] = useState<CampaignPatch>(() => (initial ? editableFields(initial) : { name: '', channels: ['sms'], brief: emptyBrief(['sms']) }));
  const [error, setError] = useState<string | null>(null);
  const action = useAsyncAction((err) => setError(errorMessage(err)));
  const step: StepId = STEPS.some((s) => s.id === query.get('step')) ? (query.get('step') as StepId) : 'brief';
  const index = STEPS.findIndex((s) => s.id === step);

  const setDraft = (patch: Partial<CampaignPatch>) => setDraftState((d) => ({ ...d, ...patch }));
  const go = (to: StepId, id = campaign?.id) => navigate(id ? `/campaigns/${id}/edit?step=${to}` : `/campaigns/new?step=${to}`, { replace: true });

  /** Creates the draft the first time, saves it after; answers the stored campaign. */
  const save = async (extra: Partial<CampaignPatch> = {}): Promise<Campaign> => {
    const body = withCleanBrief({ ...draft, ...extra });
    const stored = campaign
      ? await api.patch<Campaign>(`/v1/campaigns/${campaign.id}`, body)
      : await api.post<Campaign>('/v1/campaigns', { ...body, variants: undefined });
    setCampaign(stored);
    setDraftState(editableFields(stored));
    return stored;
  };

  const run = (key: string, task: () => Promise<unknown>) => {
    setError(null);
    return action.run(key, task);
  };
  const next = () => run('next', async () => go(STEPS[index + 1].id, (await save()).id));
  const submit = () =>
    run('submit', async () => {
      const stored = await save();
      await api.post<CampaignState>(`/v1/campaigns/${stored.id}/submit`);
      toast.success(`${stored.name} was submitted for approval`);
      navigate(`/campaigns/${stored.id}`);
    });

  const props: StepProps = { campaign, draft, setDraft, save, run, busy: action.pending, setCampaign: (c) => (setCampaign(c), setDraftState(editableFields(c))) };
  return (
    <div className="page">
      <div className="page-head">
        <h1>{campaign ? `Edit ${campaign.name}` : 'New campaign'}</h1>
        {campaign && <StatusBadge status={campaign.status} />}
      </div>
      {campaign?.changesRequested && campaign.status === 'changes_requested' && (
        <div className="cp-callout" role="note" aria-label="Changes requested">
          <strong>Changes requested by {campaign.changesRequested.by}:</strong> {campaign.changesRequested.comment}
        </div>
      )}
      <nav aria-label="Wizard steps">
        <ol className="cp-steps">
          {STEPS.map((s, i) => (
            <li key={s.id}>
              <button type="button" className="cp-step" aria-current={s.id === step ? 'step' : undefined} disabled={!campaign && i > 0} onClick={() => go(s.id)}>
                <span className="cp-step-n">{i + 1}</span> {s.label}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <Panel title={STEPS[index].label}>
        {step === 'brief' && <BriefStep {...props} onGenerated={(c) => go('content', c.id)} />}
        {step === 'content' && <ContentStep {...props} />}
        {step === 'audience' && <AudienceStep {...props} />}
        {step === 'schedule' && <ScheduleStep {...props} />}
        {step === 'review' && <ReviewStep {...props} />}
        <FormError message={error} />
        <div className="pg-row pg-row-between cp-wizard-foot">
          <Button disabled={index === 0 || action.busy} onClick={() => go(STEPS[index - 1].id)}>
            Back
          </Button>
          {step === 'review' ? (
            <Button variant="primary" disabled={action.busy || !campaign?.variants.length} onClick={() => void submit()}>
              Submit for approval
            </Button>
          ) : (
            step !== 'brief' && (
              <Button variant="primary" disabled={action.busy} onClick={() => void next()}>
                Save and continue
              </Button>
            )
          )}
        </div>
      </Panel>
    </div>
  );
}
