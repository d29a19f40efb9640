/**
 * A variant's content as recipients get it, per channel (read-only): the approval queue, the
 * wizard's review and the campaign page show it the same way. Email HTML renders in a sandboxed
 * frame (no scripts, no same-origin access), so generated or pasted markup cannot reach the console.
 */
import { smsSegments } from '../../../../core/campaigns/sms';
import { Badge } from '../../ui';
import { VideoSummary } from './VariantVideo';
import { CHANNEL_LABELS, type CampaignChannel, type CampaignVariant, type VariantContent } from './types';

export function SmsCounter({ text }: { text: string }) {
  const s = smsSegments(text);
  const tone = s.encoding === 'UCS-2' || s.segments > 2 ? 'warning' : 'neutral';
  return (
    <span className="cp-sms-counter" aria-live="polite">
      <Badge tone={tone} title={s.encoding === 'UCS-2' ? 'A character outside GSM-7 makes the whole message UCS-2: 70 characters a segment' : undefined}>
        {s.encoding}
      </Badge>{' '}
      {s.characters} characters · {s.segments} {s.segments === 1 ? 'segment' : 'segments'}
    </span>
  );
}

export function ChannelContent({ channel, content }: { channel: CampaignChannel; content: VariantContent }) {
  switch (channel) {
    case 'sms':
      return content.sms ? (
        <>
          <p className="cp-message">{content.sms.text}</p>
          <SmsCounter text={content.sms.text} />
        </>
      ) : null;
    case 'whatsapp':
      return content.whatsapp ? (
        <>
          <p className="cp-message">{content.whatsapp.text}</p>
          {content.whatsapp.template && (
            <p className="pg-muted">
              Template {content.whatsapp.template.name} ({content.whatsapp.template.language}) outside the 24-hour window
            </p>
          )}
        </>
      ) : null;
    case 'email':
      return content.email ? (
        <>
          <dl className="pg-dl">
            <dt>Subject</dt>
            <dd>{content.email.subject}</dd>
            <dt>Preheader</dt>
            <dd>{content.email.preheader || '—'}</dd>
          </dl>
          <iframe className="cp-email-frame" title="Email preview" sandbox="" srcDoc={content.email.html} />
        </>
      ) : null;
    case 'messenger':
      return content.messenger ? (
        <>
          <p className="cp-message">{content.messenger.text}</p>
          {content.messenger.tag && <p className="pg-muted">Message tag {content.messenger.tag}</p>}
        </>
      ) : null;
  }
}

/** Who wrote a variant, in words: `model:<id>`, `template-writer` (the offline writer) or `edited`. */
export const writtenBy = (generatedBy: string) =>
  generatedBy === 'edited' ? 'Written or edited by hand' : generatedBy === 'template-writer' ? 'Written by the offline template writer' : `Written by ${generatedBy.replace(/^model:/, 'the model ')}`;

/** Every channel of one variant, with the warnings its limits raised. */
export function VariantView({ variant, channels }: { variant: CampaignVariant; channels: readonly CampaignChannel[] }) {
  return (
    <div className="cp-variant" aria-label={`Variant ${variant.id}`} role="group">
      {channels.map((ch) => (
        <section key={ch} className="cp-channel" aria-label={`${CHANNEL_LABELS[ch]} content, variant ${variant.id}`}>
          <h4 className="pg-h3">{CHANNEL_LABELS[ch]}</h4>
          <ChannelContent channel={ch} content={variant.content} />
        </section>
      ))}
      {variant.content.video && <VideoSummary video={variant.content.video} />}
      {variant.warnings.length > 0 && (
        <ul className="cp-warnings" aria-label="Warnings">
          {variant.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <p className="pg-muted">{writtenBy(variant.generatedBy)}</p>
    </div>
  );
}
