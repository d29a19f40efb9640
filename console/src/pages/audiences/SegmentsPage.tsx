/** Segments: saved filters over contacts, edited with a live count; "View contacts" lists who is in one. */
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Link } from '../../app/router';
import { Button, Field, Input, Panel, useToast } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit } from '../shared/useAsyncAction';
import { useConfirmAction } from '../shared/useConfirmAction';
import { useQuery } from '../shared/useQuery';
import { FilterEditor, LiveCount } from './FilterEditor';
import type { SegmentDto, SegmentFilter } from './types';
import '../pages.css';
import './audiences.css';

const EMPTY_FILTER: SegmentFilter = { match: 'all', conditions: [] };

export function SegmentsPage() {
  const { user } = useAuth();
  const writer = can.market(user?.role);
  const toast = useToast();
  const segments = useQuery(async () => (await api.get<{ items: SegmentDto[] }>('/v1/segments')).items, []);
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const current = selected === 'new' ? null : (segments.data?.find((s) => s.id === selected) ?? (selected === null ? segments.data?.[0] : undefined) ?? null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [filter, setFilter] = useState<SegmentFilter>(EMPTY_FILTER);
  useEffect(() => {
    setName(current?.name ?? '');
    setDescription(current?.description ?? '');
    setFilter(current?.filter ?? EMPTY_FILTER);
  }, [current?.id, current?.updatedAt]);

  const save = useSubmit(['name', 'description', 'filter'], async () => {
    const body = { name: name.trim(), description: description.trim() || null, filter };
    const saved = current ? await api.patch<SegmentDto>(`/v1/segments/${current.id}`, body) : await api.post<SegmentDto>('/v1/segments', body);
    toast.success('Segment saved');
    await segments.reload();
    setSelected(saved.id);
  });
  const remove = useConfirmAction<SegmentDto>({
    title: 'Delete this segment?',
    message: (s) => `“${s.name}” goes; its contacts stay.`,
    confirmLabel: 'Delete',
    run: async (s) => {
      await api.del(`/v1/segments/${s.id}`);
      setSelected(null);
      await segments.reload();
    },
  });

  return (
    <div className="page">
      <div className="page-head">
        <h1>Segments</h1>
        {writer && (
          <Button variant="primary" onClick={() => setSelected('new')}>
            New segment
          </Button>
        )}
      </div>
      <div className="pg-split pg-split-wide">
        <Panel title="Saved segments">
          <QueryStatus query={segments} loadingLabel="Loading segments">
            {(rows = []) =>
              rows.length ? (
                <ul className="pg-list" aria-label="Saved segments">
                  {rows.map((s) => (
                    <li key={s.id}>
                      <button type="button" className="pg-list-item" aria-current={current?.id === s.id} onClick={() => setSelected(s.id)}>
                        <div className="pg-list-title">{s.name}</div>
                        <div className="pg-list-sub">{s.description || `${s.filter.conditions.length} condition${s.filter.conditions.length === 1 ? '' : 's'}`}</div>
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="pg-muted">No segments yet.</p>
              )
            }
          </QueryStatus>
        </Panel>
        <Panel title={current ? current.name : 'New segment'}>
          <form className="pg-col" onSubmit={(e) => void save.submit(e)}>
            <Field label="Name" error={save.fieldError('name')}>
              <Input value={name} onChange={(e) => setName(e.target.value)} disabled={!writer} placeholder="Regulars in Lyon" />
            </Field>
            <Field label="Description" error={save.fieldError('description')}>
              <Input value={description} onChange={(e) => setDescription(e.target.value)} disabled={!writer} />
            </Field>
            <FilterEditor filter={filter} onChange={setFilter} disabled={!writer} />
            {save.fieldError('filter') && <p className="pg-error-text">{save.fieldError('filter')}</p>}
            {writer ? <LiveCount filter={filter} /> : <p className="pg-muted">Counting an audience is for marketers, approvers and admins.</p>}
            {save.errors.form && <p className="pg-error-text">{save.errors.form}</p>}
            <div className="pg-row">
              {writer && (
                <Button type="submit" variant="primary" disabled={save.busy}>
                  Save segment
                </Button>
              )}
              {current && <Link to={`/contacts?segmentId=${current.id}`}>View contacts</Link>}
              {current && writer && (
                <Button variant="ghost" onClick={() => remove.ask(current)}>
                  Delete
                </Button>
              )}
            </div>
          </form>
        </Panel>
      </div>
      {remove.dialog}
    </div>
  );
}
