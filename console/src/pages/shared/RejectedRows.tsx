/** An import's refused rows (row, field, why), as the contact and menu imports report them; says when only the first are listed. */
import { Table } from '../../ui';

export function RejectedRows({ rejected, total }: { rejected: { row: number; field: string; message: string }[]; total: number }) {
  if (!rejected.length) return null;
  return (
    <>
      <Table
        caption="Rejected rows"
        rows={rejected}
        rowKey={(r) => `${r.row}:${r.field}`}
        columns={[
          { key: 'row', header: 'Row', render: (r) => String(r.row) },
          { key: 'field', header: 'Field', render: (r) => <span className="pg-mono">{r.field}</span> },
          { key: 'message', header: 'Why' },
        ]}
      />
      {total > rejected.length && <p className="pg-muted">The first {rejected.length} of {total} rejected rows are listed.</p>}
    </>
  );
}
