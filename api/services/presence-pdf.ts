/**
 * The report as a PDF (pdf-lib, server-side): the grade, the category bars, the ranked
 * recommendations with their snippets, every check with its evidence, the sources and what could
 * not be measured. The standard Helvetica fonts need no font file; they encode WinAnsi only, so
 * text outside it is written with a replacement character rather than failing the export.
 */
import type { PDFDocument, PDFFont, PDFPage, RGB } from 'pdf-lib';
import type { ReportView } from '../../core/presence-surface';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const WINANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Characters Helvetica can encode, the rest as '?'. */
export const pdfSafe = (s: string) => [...s.replace(/\t/g, '  ')].map((c) => (c === '\n' || (c >= ' ' && c.charCodeAt(0) <= 0xff && !(c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) < 0xa0)) || WINANSI_EXTRA.has(c) ? c : '?')).join('');

/** pdf-lib, loaded by the first export (~21 MB the API otherwise never needs); set before anything draws. */
let lib: typeof import('pdf-lib');

const hex = (h: string) => lib.rgb(parseInt(h.slice(1, 3), 16) / 255, parseInt(h.slice(3, 5), 16) / 255, parseInt(h.slice(5, 7), 16) / 255);
const scoreColor = (score: number) => hex(score >= 80 ? '#1a7f37' : score >= 60 ? '#9a6700' : '#cf222e');
const grey = () => hex('#57606a');

class Writer {
  page!: PDFPage;
  y = 0;
  constructor(
    readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    readonly mono: PDFFont,
  ) {
    this.newPage();
  }
  newPage() {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }
  room(h: number) {
    if (this.y - h < MARGIN) this.newPage();
  }
  wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const out: string[] = [];
    for (const para of pdfSafe(text).split('\n')) {
      let line = '';
      for (const word of para.split(/(\s+)/)) {
        const next = line + word;
        if (font.widthOfTextAtSize(next, size) <= width || !line.trim()) line = next;
        else {
          out.push(line.trimEnd());
          line = word.trimStart();
        }
        // A single word longer than the line (a URL in a snippet) is cut.
        while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
          let cut = line.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
          out.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      out.push(line.trimEnd());
    }
    return out;
  }
  text(text: string, opts: { size?: number; font?: PDFFont; color?: RGB; indent?: number; gap?: number } = {}) {
    const size = opts.size ?? 10;
    const font = opts.font ?? this.regular;
    const x = MARGIN + (opts.indent ?? 0);
    for (const line of this.wrap(text, font, size, A4[0] - MARGIN - x)) {
      this.room(size * 1.4);
      this.page.drawText(line, { x, y: this.y - size, size, font, color: opts.color ?? lib.rgb(0.12, 0.14, 0.16) });
      this.y -= size * 1.4;
    }
    this.y -= opts.gap ?? 2;
  }
}

export async function reportPdf(r: ReportView): Promise<Uint8Array> {
  lib ??= await import('pdf-lib');
  const doc = await lib.PDFDocument.create();
  doc.setTitle(pdfSafe(`Presence report for ${r.businessName ?? r.site}`));
  doc.setSubject(pdfSafe(r.site));
  doc.setProducer('Switchboard');
  doc.setCreationDate(new Date(r.finishedAt));
  const w = new Writer(doc, await doc.embedFont(lib.StandardFonts.Helvetica), await doc.embedFont(lib.StandardFonts.HelveticaBold), await doc.embedFont(lib.StandardFonts.Courier));

  w.text(`Presence report for ${r.businessName ?? r.site}`, { size: 18, font: w.bold, gap: 4 });
  w.text(`${r.site} - audited ${r.finishedAt.slice(0, 16).replace('T', ' ')} UTC`, { color: grey(), gap: 12 });

  // The dial: a ring in the grade's colour, the grade and the score inside.
  const cx = MARGIN + 50;
  const cy = w.y - 50;
  w.page.drawCircle({ x: cx, y: cy, size: 46, borderColor: scoreColor(r.score), borderWidth: 8 });
  w.page.drawText(pdfSafe(r.grade), { x: cx - w.bold.widthOfTextAtSize(pdfSafe(r.grade), 28) / 2, y: cy - 4, size: 28, font: w.bold, color: scoreColor(r.score) });
  const scoreText = `${Math.round(r.score)} / 100`;
  w.page.drawText(scoreText, { x: cx - w.regular.widthOfTextAtSize(scoreText, 10) / 2, y: cy - 20, size: 10, font: w.regular });
  w.y -= 112;

  w.text('By category', { size: 13, font: w.bold, gap: 6 });
  for (const c of r.categories) {
    w.room(16);
    w.page.drawText(pdfSafe(c.label), { x: MARGIN, y: w.y - 10, size: 10, font: w.regular });
    w.page.drawRectangle({ x: MARGIN + 150, y: w.y - 10, width: 280, height: 8, color: hex('#eaeef2') });
    w.page.drawRectangle({ x: MARGIN + 150, y: w.y - 10, width: (280 * Math.max(0, Math.min(100, c.score))) / 100, height: 8, color: scoreColor(c.score) });
    w.page.drawText(String(Math.round(c.score)), { x: MARGIN + 440, y: w.y - 10, size: 10, font: w.bold });
    w.y -= 16;
  }
  w.y -= 10;

  w.text('What to do first', { size: 13, font: w.bold, gap: 6 });
  if (!r.recommendations.length) w.text('Nothing: every check passed.');
  r.recommendations.forEach((x, i) => {
    w.text(`${i + 1}. ${x.title}`, { font: w.bold, gap: 0 });
    w.text(`Impact ${x.impact}, effort ${x.effort}`, { color: grey(), size: 9, gap: 0 });
    w.text(x.action, { gap: x.snippet ? 2 : 8 });
    if (x.snippet) w.text(x.snippet, { font: w.mono, size: 8, indent: 12, gap: 8 });
  });

  w.text('Every check', { size: 13, font: w.bold, gap: 6 });
  const word = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skipped: 'NOT MEASURED' } as const;
  for (const c of r.checks) {
    w.text(`[${word[c.status]}] ${c.label} - ${c.points}/${c.maxPoints}${c.inferred ? ' (inferred)' : ''}`, { font: w.bold, size: 9, gap: 0 });
    w.text(c.evidence, { size: 9, color: grey(), indent: 12, gap: 5 });
  }

  w.text('Sources', { size: 13, font: w.bold, gap: 4 });
  w.text(r.sources.join(', ') || 'the website only', { gap: 8 });
  if (r.notes.length) {
    w.text('What could not be measured', { size: 13, font: w.bold, gap: 4 });
    for (const n of r.notes) w.text(`- ${n}`);
  }
  return doc.save();
}
