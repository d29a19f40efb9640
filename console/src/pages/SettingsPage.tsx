/** Settings (admins): users, API keys, the language model, embeddings, reranker, email channels, the audit log, retention and opening hours, one tab each (`#/settings/:section`). */
import { matchPath, navigate, useLocation } from '../app/router';
import { Panel, Tabs } from '../ui';
import { ApiKeysSection } from './settings/ApiKeysSection';
import { AuditLogSection } from './settings/AuditLogSection';
import { EmailChannelsSection } from './settings/EmailChannelsSection';
import { EmbeddingsSection } from './settings/EmbeddingsSection';
import { LlmSection } from './settings/LlmSection';
import { RerankerSection } from './settings/RerankerSection';
import { RetentionSection } from './settings/RetentionSection';
import { UsersSection } from './settings/UsersSection';
import { WhatsappChannelsTemplates } from './content/WhatsappTemplates';
import { ReportsSection } from './settings/ReportsSection';
import { ListingsSection } from './presence/ListingsSection';
import { OpeningHoursSection } from './settings/OpeningHoursSection';
import { VoiceChannelsSection } from './settings/VoiceChannelsSection';
import './pages.css';

const SECTIONS = [
  { id: 'users', label: 'Users', render: () => <UsersSection /> },
  { id: 'api-keys', label: 'API keys', render: () => <ApiKeysSection /> },
  { id: 'llm', label: 'Language model', render: () => <LlmSection /> },
  { id: 'embeddings', label: 'Embeddings', render: () => <EmbeddingsSection /> },
  { id: 'reranker', label: 'Reranker', render: () => <RerankerSection /> },
  { id: 'email', label: 'Email channels', render: () => <EmailChannelsSection /> },
  { id: 'whatsapp', label: 'WhatsApp templates', render: () => <WhatsappChannelsTemplates canManage /> },
  { id: 'audit', label: 'Audit log', render: () => <AuditLogSection /> },
  { id: 'reports', label: 'Reports', render: () => <ReportsSection /> },
  { id: 'retention', label: 'Retention', render: () => <RetentionSection /> },
  { id: 'listings', label: 'Listings', render: () => <ListingsSection /> },
  { id: 'opening-hours', label: 'Opening hours', render: () => <OpeningHoursSection /> },
  { id: 'voice', label: 'Voice channels', render: () => <VoiceChannelsSection /> },
];

export function SettingsPage() {
  const { path } = useLocation();
  const section = matchPath('/settings/:section', path)?.section ?? 'users';
  const active = SECTIONS.some((s) => s.id === section) ? section : 'users';
  return (
    <div className="page">
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <Panel>
        <Tabs
          label="Settings"
          active={active}
          onChange={(id) => navigate(`/settings/${id}`, { replace: true })}
          tabs={SECTIONS.map((s) => ({ id: s.id, label: s.label, content: s.id === active ? s.render() : null }))}
        />
      </Panel>
    </div>
  );
}
