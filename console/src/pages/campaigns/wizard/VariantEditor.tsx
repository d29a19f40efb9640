/**
 * One variant's content, channel by channel, as editable fields: SMS with its live segment counter,
 * WhatsApp text and template, email subject, preheader, HTML and text parts, Messenger text and
 * tag, and the video sent with it. Social captions are for copying, not sending.
 */
import { Button, Field, Input, Select, Textarea, useToast } from '../../../ui';
import { SmsCounter } from '../ContentView';
import { VideoFields } from '../VariantVideo';
import { CHANNEL_LABELS, MESSENGER_TAGS, type CampaignChannel, type VariantContent } from '../types';

interface Props {
  variantId: string;
  channels: readonly CampaignChannel[];
  content: VariantContent;
  onChange: (content: VariantContent) => void;
  onRegenerate: (channel: CampaignChannel) => void;
  busy: boolean;
}

export function VariantEditor({ variantId, channels, content, onChange, onRegenerate, busy }: Props) {
  const set = <K extends keyof VariantContent>(key: K, value: VariantContent[K]) => onChange({ ...content, [key]: value });
  const label = (text: string) => `${text} (variant ${variantId})`;
  const regenerate = (ch: CampaignChannel) => (
    <Button size="sm" variant="ghost" disabled={busy} onClick={() => onRegenerate(ch)} aria-label={`Regenerate ${CHANNEL_LABELS[ch]}, variant ${variantId}`}>
      Regenerate
    </Button>
  );
  return (
    <div className="pg-col">
      {channels.includes('sms') && (
        <fieldset className="cp-fieldset">
          <legend>SMS {regenerate('sms')}</legend>
          <Field label={label('SMS text')} help={<SmsCounter text={content.sms?.text ?? ''} />}>
            <Textarea rows={3} value={content.sms?.text ?? ''} onChange={(e) => set('sms', { text: e.target.value })} />
          </Field>
        </fieldset>
      )}
      {channels.includes('whatsapp') && (
        <fieldset className="cp-fieldset">
          <legend>WhatsApp {regenerate('whatsapp')}</legend>
          <Field label={label('WhatsApp text')}>
            <Textarea rows={4} value={content.whatsapp?.text ?? ''} onChange={(e) => set('whatsapp', { ...content.whatsapp, text: e.target.value })} />
          </Field>
          <Field label={label('Template name')} help="An approved template reaches people outside the 24-hour window; leave empty to send the text only inside it">
            <Input
              value={content.whatsapp?.template?.name ?? ''}
              onChange={(e) => {
                const name = e.target.value;
                const template = content.whatsapp?.template ?? { name: '', language: 'en', parameters: [] };
                set('whatsapp', { text: content.whatsapp?.text ?? '', template: name ? { ...template, name } : undefined });
              }}
            />
          </Field>
        </fieldset>
      )}
      {channels.includes('email') && (
        <fieldset className="cp-fieldset">
          <legend>Email {regenerate('email')}</legend>
          <EmailFields variantId={variantId} content={content} onChange={(email) => set('email', email)} />
        </fieldset>
      )}
      {channels.includes('messenger') && (
        <fieldset className="cp-fieldset">
          <legend>Messenger {regenerate('messenger')}</legend>
          <Field label={label('Messenger text')}>
            <Textarea rows={3} value={content.messenger?.text ?? ''} onChange={(e) => set('messenger', { ...content.messenger, text: e.target.value })} />
          </Field>
          <Field label={label('Message tag')} help="Outside the 24-hour window Messenger takes a message only with a tag that fits it">
            <Select
              value={content.messenger?.tag ?? ''}
              onChange={(e) => set('messenger', { text: content.messenger?.text ?? '', tag: (e.target.value || undefined) as (typeof MESSENGER_TAGS)[number] | undefined })}
              options={[{ value: '', label: 'No tag (inside the window only)' }, ...MESSENGER_TAGS]}
            />
          </Field>
        </fieldset>
      )}
      <VideoFields variantId={variantId} video={content.video} onChange={(video) => set('video', video)} />
      {content.social && <SocialCaptions social={content.social} />}
    </div>
  );
}

function EmailFields({ variantId, content, onChange }: { variantId: string; content: VariantContent; onChange: (email: NonNullable<VariantContent['email']>) => void }) {
  const email = content.email ?? { subject: '', preheader: '', html: '', text: '' };
  const set = (patch: Partial<typeof email>) => onChange({ ...email, ...patch });
  return (
    <>
      <Field label={`Subject (variant ${variantId})`}>
        <Input value={email.subject} onChange={(e) => set({ subject: e.target.value })} maxLength={200} />
      </Field>
      <Field label={`Preheader (variant ${variantId})`} help="The preview line inboxes show after the subject">
        <Input value={email.preheader ?? ''} onChange={(e) => set({ preheader: e.target.value })} maxLength={200} />
      </Field>
      <Field label={`HTML (variant ${variantId})`}>
        <Textarea rows={6} className="pg-mono" value={email.html} onChange={(e) => set({ html: e.target.value })} />
      </Field>
      <Field label={`Plain text (variant ${variantId})`}>
        <Textarea rows={4} value={email.text} onChange={(e) => set({ text: e.target.value })} />
      </Field>
    </>
  );
}

function SocialCaptions({ social }: { social: NonNullable<VariantContent['social']> }) {
  const toast = useToast();
  const copy = (text: string, where: string) =>
    navigator.clipboard.writeText(text).then(
      () => toast.success(`${where} caption copied`),
      () => toast.info('Select the caption and press Ctrl+C (⌘C) to copy it'),
    );
  const places = [
    ['instagram', 'Instagram'],
    ['facebook', 'Facebook'],
    ['google', 'Google Business'],
  ] as const;
  return (
    <fieldset className="cp-fieldset">
      <legend>Social captions (to copy)</legend>
      {places.map(([key, where]) => (
        <Field key={key} label={`${where} caption`}>
          <div className="pg-row">
            <Textarea readOnly rows={3} value={social[key]} className="pg-grow" />
            <Button size="sm" onClick={() => void copy(social[key], where)}>
              Copy
            </Button>
          </div>
        </Field>
      ))}
    </fieldset>
  );
}
