/**
 * The HTML part of a campaign email, built from its text part so the two always say the same:
 * paragraphs, the call to action as a button, inline styles only (mail clients drop <style>).
 * Personalization variables pass through untouched; the sender fills them per recipient.
 */
export const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g;

function paragraph(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    html += escapeHtml(text.slice(last, match.index)) + `<a href="${escapeHtml(match[0])}" style="color:#2563eb">${escapeHtml(match[0])}</a>`;
    last = match.index! + match[0].length;
  }
  return `<p style="margin:0 0 16px;line-height:1.5">${(html + escapeHtml(text.slice(last))).replace(/\n/g, '<br>')}</p>`;
}

export interface EmailHtmlInput {
  /** Plain text; blank lines separate paragraphs. */
  text: string;
  /** Shown hidden at the top: inboxes take it as the preview line. */
  preheader?: string;
  cta?: { label: string; url: string };
}

export function emailHtml({ text, preheader, cta }: EmailHtmlInput): string {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    // The button already carries the link; the text part keeps it as a line.
    .filter((p) => !cta || p !== `${cta.label}: ${cta.url}`);
  const hidden = preheader ? `<div style="display:none;max-height:0;overflow:hidden">${escapeHtml(preheader)}</div>` : '';
  const button = cta
    ? `<p style="margin:24px 0"><a href="${escapeHtml(cta.url)}" style="background:#111827;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(cta.label)}</a></p>`
    : '';
  return `<!doctype html><html><body style="margin:0;padding:24px;font-family:Helvetica,Arial,sans-serif;color:#111827">${hidden}<div style="max-width:600px;margin:0 auto">${paragraphs.map(paragraph).join('')}${button}</div></body></html>`;
}
