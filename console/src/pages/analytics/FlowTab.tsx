/**
 * Per flow: where conversations of one flow version end or are handed off, drawn on its graph (a
 * badge and a heat colour per node, a count per edge), the same numbers as a table and CSV, then
 * the flow's tiles and series. Flow, version, dates and channel are in the URL.
 */
import { useEffect, useMemo, type ReactNode } from 'react';
import type { GraphInput } from '../../../../core/graph/schema';
import { api } from '../../api/client';
import { FlowCanvas, type NodeDropOff } from '../../graph/FlowCanvas';
import { Field, Panel, Select, Spinner, Table } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { CsvLink } from './SeriesCharts';
import { count, percent, query, type AnalyticsFlowNodes, type Filters } from './format';

export function FlowTab({
  filters,
  set,
  flows,
  figures,
}: {
  filters: Filters;
  set: (patch: Partial<Filters>) => void;
  flows: { id: string; name: string }[] | undefined;
  figures: (f: Filters) => ReactNode;
}) {
  const first = flows?.[0]?.id;
  useEffect(() => {
    if (!filters.flowId && first) set({ flowId: first });
  }, [filters.flowId, first]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!filters.flowId) return flows && flows.length === 0 ? <p className="pg-muted">No flows yet.</p> : <Spinner label="Loading flows" />;
  return (
    <>
      <DropOff filters={filters} set={set} />
      {figures({ ...filters, version: '' })}
    </>
  );
}

function DropOff({ filters, set }: { filters: Filters; set: (patch: Partial<Filters>) => void }) {
  const nodesQuery = query({ from: filters.from, to: filters.to, channel: filters.channel, version: filters.version });
  const path = `/v1/analytics/flows/${encodeURIComponent(filters.flowId)}/nodes`;
  const data = useQuery(() => api.get<AnalyticsFlowNodes>(`${path}?${nodesQuery}`), [path, nodesQuery]);
  const overlay = useMemo(() => {
    const d = data.data;
    if (!d) return undefined;
    return {
      nodes: Object.fromEntries(d.nodes.map((n) => [n.nodeId, n satisfies NodeDropOff])),
      edges: Object.fromEntries(d.edges.map((e) => [e.edgeId, e.followed])),
    };
  }, [data.data]);
  return (
    <QueryStatus query={data} loadingLabel="Loading the drop-off">
      {(d) =>
        d && (
          <Panel
            title={`Drop-off: ${d.flowName}`}
            actions={
              <div className="page-head-actions">
                {data.loading && <Spinner label="Loading the drop-off" />}
                <Field label="Version">
                  <Select
                    value={String(d.version ?? '')}
                    onChange={(e) => set({ version: e.target.value })}
                    options={d.versions.map((v) => ({ value: String(v.version), label: `v${v.version} (${count(v.conversations)})` }))}
                  />
                </Field>
                <CsvLink href={`${path}.csv?${nodesQuery}&part=nodes`} label="Download the drop-off per node as CSV" />
                <a className="btn btn-secondary btn-sm pg-link-button" href={`${path}.csv?${nodesQuery}&part=edges`} download aria-label="Download the conversations per edge as CSV">
                  Edges CSV
                </a>
              </div>
            }
          >
            <p className="pg-muted">
              {count(d.conversations)} conversation{d.conversations === 1 ? '' : 's'} of version {d.version ?? '—'} closed in this range. Each node: how many reached it, ended there (closed or idled
              out while the bot was at it) or were handed off there; the percentage is its drop-off.
            </p>
            {d.graph ? (
              <FlowCanvas graph={d.graph as Pick<GraphInput, 'nodes' | 'edges'>} dropOff={overlay} height={460} minimap={false} />
            ) : (
              <p className="pg-muted">This flow has no published version yet.</p>
            )}
            <Table
              caption="Drop-off per node"
              rows={d.nodes.filter((n) => n.reached > 0 || n.failed > 0)}
              rowKey={(n) => n.nodeId}
              empty="No conversation of this version closed in this range."
              columns={[
                { key: 'node', header: 'Node', render: (n) => `${n.nodeId}${n.type ? ` (${n.type})` : ''}` },
                { key: 'reached', header: 'Reached', render: (n) => count(n.reached) },
                { key: 'ended', header: 'Ended here', render: (n) => count(n.ended) },
                { key: 'handedOff', header: 'Handed off here', render: (n) => count(n.handedOff) },
                { key: 'failed', header: 'Failed turns', render: (n) => count(n.failed) },
                { key: 'rate', header: 'Drop-off', render: (n) => percent(n.dropOffRate) },
              ]}
            />
          </Panel>
        )
      }
    </QueryStatus>
  );
}
