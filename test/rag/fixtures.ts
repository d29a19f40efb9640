/** Documents generated in the tests, so every fixture's content is visible next to its assertions. */
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export const PAGE_BODY = (page: number) => `Body text of page ${page} explains the opening hours.`;

/** Three pages: page 1 opens with a large heading, page 3 with another; page 2 has body text only. */
export async function threePagePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle('Clinic handbook');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let page = 1; page <= 3; page++) {
    const p = doc.addPage([595, 842]);
    let y = 780;
    if (page !== 2) {
      p.drawText(page === 1 ? 'Opening hours' : 'Refund policy', { x: 50, y, size: 18, font });
      y -= 40;
    }
    p.drawText(PAGE_BODY(page), { x: 50, y, size: 11, font });
    p.drawText('A wrapped line that contin-', { x: 50, y: y - 14, size: 11, font });
    p.drawText('ues the same paragraph.', { x: 50, y: y - 28, size: 11, font });
    p.drawText(`A second paragraph on page ${page}.`, { x: 50, y: y - 60, size: 11, font });
  }
  return Buffer.from(await doc.save());
}

/** A PDF with no text at all, like a scan. */
export async function blankPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]);
  return Buffer.from(await doc.save());
}

/**
 * A minimal PDF whose trailer names a Standard security handler (RC4, revision 2) with an /U
 * entry that the empty password does not match, so a reader must ask for a password.
 * pdf-lib cannot encrypt; writing the few objects by hand keeps the fixture in the test.
 */
export function encryptedPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
    `<< /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -4 >>`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${'11'.repeat(16)}> <${'11'.repeat(16)}>] >>\n`;
  out += `startxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export async function twoHeadingDocx(): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: 'Welcome to the clinic.' }),
          new Paragraph({ text: 'Opening hours', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: 'We are open Monday to Friday.' }),
          new Paragraph({ text: 'Closed on public holidays.' }),
          new Paragraph({ text: 'Refunds', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: 'Refunds are issued within 14 days.' }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A web page with two headings, and navigation, a script and a style that extraction must drop. */
export function clinicHtml(): Buffer {
  return Buffer.from(`<html><head><title>Clinic &amp; Co</title><style>p { color: red }</style></head><body>
      <nav><a href="/">Home</a> <a href="/about">About</a></nav>
      <script>track()</script>
      <h1>Opening hours</h1><p>Open <b>Monday</b>   to Friday.</p><p>Closed on holidays.</p>
      <h3>Refunds <em>policy</em></h3><p>Within 14 days.</p></body></html>`);
}

/** `id,name,price` with `rows` records: odd ids have no price, and names hold a quoted comma. */
export function priceListCsv(rows: number): Buffer {
  const records = Array.from({ length: rows }, (_, i) => `${i + 1},"Item, ${i + 1}",${i % 2 === 0 ? '' : '9.50'}`);
  return Buffer.from(['id,name,price', ...records].join('\r\n'));
}
