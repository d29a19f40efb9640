/** The last step: the stored campaign as the approver will see it, a preview per contact, and submit (the wizard's button). */
import { CampaignFacts } from '../CampaignFacts';
import { VariantView } from '../ContentView';
import { PreviewPanel } from '../PreviewPanel';
import { TemplateApproval } from '../TemplateApproval';
import type { StepProps } from './step';

export function ReviewStep({ campaign }: StepProps) {
  if (!campaign) return null;
  return (
    <div className="cp-split">
      <div className="pg-col">
        <CampaignFacts campaign={campaign} />
        {campaign.variants.length === 0 && <p className="pg-error-text">There is no content yet: write or generate it in Content.</p>}
        {campaign.variants.map((v) => (
          <VariantView key={v.id} variant={v} channels={campaign.channels} />
        ))}
        <TemplateApproval campaign={campaign} />
      </div>
      {campaign.variants.length > 0 && <PreviewPanel campaignId={campaign.id} variant={campaign.variants[0].id} />}
    </div>
  );
}
