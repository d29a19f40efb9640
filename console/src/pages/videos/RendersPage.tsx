/** Renders: every video with its status, stage and cost, newest first; a row opens its render page. */
import type { RenderDto } from '../../../../core/api/renders';
import { api } from '../../api/client';
import { Link, navigate } from '../../app/router';
import { useAuth } from '../../app/auth';
import { Badge, Button, Panel, Table } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { canMakeVideos } from './AvatarsPage';

const TONE = { running: 'info', completed: 'success', failed: 'danger', canceled: 'neutral' } as const;
export const costLabel = (r: Pick<RenderDto, 'cost' | 'provider'>) => `${r.cost.didCredits} D-ID credit${r.cost.didCredits === 1 ? '' : 's'} · ${r.cost.elevenLabsCharacters} ElevenLabs chars`;

export function RendersPage() {
  const { user } = useAuth();
  const renders = useQuery(async () => (await api.get<{ items: RenderDto[] }>('/v1/videos?limit=100')).items, []);
  return (
    <div className="page pg-col">
      <div className="pg-row pg-row-between">
        <h1>Videos</h1>
        <div className="pg-row">
          <Link to="/avatars">Avatars and voices</Link>
          {canMakeVideos(user?.role) && (
            <Button variant="primary" onClick={() => navigate('/videos/new')}>
              New render
            </Button>
          )}
        </div>
      </div>
      <Panel title="Renders">
        <QueryStatus query={renders} loadingLabel="Loading renders">
          {(items) => (
            <Table
              caption="Renders"
              rows={items ?? []}
              rowKey={(r) => r.id}
              empty="No render yet."
              columns={[
                { key: 'title', header: 'Video', render: (r) => <Link to={`/videos/${r.id}`}>{r.title || r.script.slice(0, 60)}</Link> },
                { key: 'status', header: 'Status', render: (r) => <Badge tone={TONE[r.status]}>{r.status === 'running' ? r.stage : r.status}</Badge> },
                { key: 'provider', header: 'Renderer', render: (r) => r.provider },
                { key: 'duration', header: 'Length', render: (r) => (r.durationSec ? `${r.durationSec.toFixed(1)} s` : '—') },
                { key: 'cost', header: 'Cost', render: costLabel },
                { key: 'created', header: 'Created', render: (r) => new Date(r.createdAt).toLocaleString() },
              ]}
            />
          )}
        </QueryStatus>
      </Panel>
    </div>
  );
}
