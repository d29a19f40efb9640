/** A page of tabbed sections addressed by `#/<base>/:section`; only the open section renders. */
import type { ReactNode } from 'react';
import { matchPath, navigate, useLocation } from '../../app/router';
import { Panel, Tabs } from '../../ui';

export interface Section {
  id: string;
  label: string;
  render: () => ReactNode;
}

export function SectionsPage({ title, base, sections }: { title: string; base: string; sections: Section[] }) {
  const { path } = useLocation();
  const asked = matchPath(`${base}/:section`, path)?.section;
  const active = sections.find((s) => s.id === asked)?.id ?? sections[0]!.id;
  return (
    <div className="page">
      <div className="page-head">
        <h1>{title}</h1>
      </div>
      <Panel>
        <Tabs label={title} active={active} onChange={(id) => navigate(`${base}/${id}`, { replace: true })} tabs={sections.map((s) => ({ id: s.id, label: s.label, content: s.id === active ? s.render() : null }))} />
      </Panel>
    </div>
  );
}
