/**
 * What a transcript line carries beyond its text (core/api/message-content.ts): files (image and
 * video previews, an audio player, a download link), a location with a map link, contact cards,
 * an order, the button tapped, the ad or link the contact came from, reactions, edits, the email
 * subject, and the delivery marker of a reply (✓ sent, ✓✓ delivered, read, failed with the reason).
 */
import type { TranscriptMessage } from './types';

type Attachment = NonNullable<TranscriptMessage['attachments']>[number];
type Delivery = NonNullable<TranscriptMessage['delivery']>;

const mapLink = (lat: number, lon: number) => `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
const kb = (size?: number) => (size === undefined ? '' : size < 1024 ? ` (${size} B)` : ` (${Math.round(size / 1024)} KB)`);

/**
 * The link as a path on the console's own origin: the API that serves the console serves the
 * files, while PUBLIC_URL (the absolute link's origin) may name another host for the same API,
 * which the console's CSP would refuse.
 */
const ownOrigin = (url: string) => {
  const u = new URL(url, window.location.href);
  return `${u.pathname}${u.search}`;
};

function AttachmentView({ file }: { file: Attachment }) {
  const label = file.name ?? file.contentType ?? 'attachment';
  // Live frames switch the line from "Downloading…" to the preview, or to the reason it failed.
  if (file.status === 'pending') return <div className="ib-file ib-file-pending" data-status="pending">Downloading… {label}</div>;
  if (!file.url) return <div className="ib-file ib-file-missing" data-status="failed">{`${label}: failed: ${file.error ?? 'not stored'}`}</div>;
  const url = ownOrigin(file.url);
  const type = file.contentType ?? '';
  // Previews load the small thumbnail; a click opens the whole file.
  const thumb = file.thumbnailUrl ? ownOrigin(file.thumbnailUrl) : undefined;
  if (type.startsWith('image/') || (type.startsWith('video/') && thumb)) {
    const video = type.startsWith('video/');
    return (
      <a className={`ib-file ib-preview${video ? ' ib-preview-video' : ''}`} href={url} target="_blank" rel="noreferrer" data-status="stored" title={`Open ${label}`}>
        <img className="ib-media" src={thumb ?? url} alt={file.name ?? (video ? 'video' : 'image')} loading="lazy" />
        {video && <span className="ib-play" aria-hidden="true">▶</span>}
      </a>
    );
  }
  if (type.startsWith('video/')) return <video className="ib-media" src={url} controls preload="metadata" aria-label={label} />;
  if (type.startsWith('audio/')) return <audio className="ib-audio" src={url} controls preload="metadata" aria-label={label} />;
  return (
    <a className="ib-file" href={url} download={file.name ?? true}>
      ⬇ {label}
      {kb(file.size)}
    </a>
  );
}

type LinkedMedia = NonNullable<TranscriptMessage['media']>;

/** A file a reply sent by link (a rendered video): a player with its poster, streaming HLS where the browser can. */
function LinkedMediaView({ media }: { media: LinkedMedia }) {
  const url = ownOrigin(media.url);
  const label = media.caption ?? media.name ?? media.contentType;
  if (media.contentType.startsWith('video/')) {
    return (
      <video className="ib-media ib-player" controls playsInline preload={media.posterUrl ? 'none' : 'metadata'} poster={media.posterUrl ? ownOrigin(media.posterUrl) : undefined} aria-label={label} data-media="video">
        {media.hlsUrl && <source src={ownOrigin(media.hlsUrl)} type="application/vnd.apple.mpegurl" />}
        <source src={url} type={media.contentType} />
      </video>
    );
  }
  if (media.contentType.startsWith('image/')) return <img className="ib-media" src={url} alt={label} loading="lazy" />;
  if (media.contentType.startsWith('audio/')) return <audio className="ib-audio" src={url} controls preload="metadata" aria-label={label} />;
  return (
    <a className="ib-file" href={url} target="_blank" rel="noreferrer">
      ⬇ {media.name ?? label}
    </a>
  );
}

const DELIVERY: Record<Delivery['status'], { mark: string; label: string }> = {
  pending: { mark: '…', label: 'Sending' },
  sent: { mark: '✓', label: 'Sent' },
  delivered: { mark: '✓✓', label: 'Delivered' },
  read: { mark: '✓✓', label: 'Read' },
  failed: { mark: '✗ failed', label: 'Not delivered' },
};

/** The ✓ / ✓✓ / failed marker of a reply; the provider's reason shows on hover. */
export function DeliveryMark({ delivery }: { delivery: Delivery }) {
  const { mark, label } = DELIVERY[delivery.status];
  const title = delivery.error ? `${label}: ${delivery.error}` : label;
  return (
    <span className={`ib-delivery ib-delivery-${delivery.status}`} title={title} aria-label={title} data-delivery={delivery.status}>
      {mark}
    </span>
  );
}

/**
 * Whether the text only spells out what the parts below show (a location's coordinates, a
 * contact card, an order, "[image]" for a file): then the parts alone are shown.
 */
export function textIsReadableForm(m: TranscriptMessage): boolean {
  if (m.revokedAt) return false;
  if (m.kind === 'location' || m.kind === 'contacts' || m.kind === 'order') return true;
  return Boolean(m.attachments?.length) && /^\[[\w :.,-]+\]$/.test(m.text);
}

export function MessageContent({ m }: { m: TranscriptMessage }) {
  return (
    <>
      {m.email?.subject && <div className="ib-subject">Subject: {m.email.subject}</div>}
      {m.attachments?.map((file, i) => <AttachmentView key={file.id ?? i} file={file} />)}
      {m.media && <LinkedMediaView media={m.media} />}
      {m.location && (
        <a className="ib-card ib-location" href={m.location.url ?? mapLink(m.location.latitude, m.location.longitude)} target="_blank" rel="noreferrer">
          📍 {m.location.name ?? 'Location'} ({m.location.latitude}, {m.location.longitude}) · open map
        </a>
      )}
      {m.contacts?.map((c, i) => (
        <div key={i} className="ib-card ib-contact-card">
          <strong>{c.name}</strong>
          {c.organization && <div>{c.organization}</div>}
          {[...c.phones, ...c.emails].map((v) => (
            <div key={v}>{v}</div>
          ))}
        </div>
      ))}
      {m.order && (
        <table className="ib-card ib-order">
          <caption>Order{m.order.note ? `: ${m.order.note}` : ''}</caption>
          <tbody>
            {m.order.items.map((item, i) => (
              <tr key={i}>
                <td>{item.quantity} ×</td>
                <td>{item.productId}</td>
                <td>{item.price !== undefined ? `${item.price} ${item.currency ?? ''}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {m.reply && <div className="ib-chip">Tapped “{m.reply.title}”</div>}
      {m.referral && <div className="ib-chip">From {m.referral.source === 'ad' || m.referral.source === 'ADS' ? 'ad' : 'link'}: {m.referral.headline ?? m.referral.ref ?? m.referral.sourceUrl ?? m.referral.sourceId}</div>}
      {m.links?.map((l) => (
        <a key={l.url} className="ib-card" href={l.url} target="_blank" rel="noreferrer">
          🔗 {l.title ?? l.url}
        </a>
      ))}
      {m.reactions?.length ? <div className="ib-reactions">{m.reactions.map((r) => r.emoji).join(' ')}</div> : null}
    </>
  );
}

/** "edited" / "deleted", with the former texts on hover. */
export function EditMark({ m }: { m: TranscriptMessage }) {
  if (!m.history?.length) return null;
  const former = m.history.map((h) => `${h.type === 'edit' ? 'Was' : 'Before deletion'}: ${h.text}`).join('\n');
  return (
    <span className="ib-edited" title={former}>
      {m.revokedAt ? ' · deleted' : ' · edited'}
    </span>
  );
}
