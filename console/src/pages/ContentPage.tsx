/** Content (`#/content/:section`): brand voices with "Try it", and the WhatsApp templates of every WhatsApp channel. */
import { can, useAuth } from '../app/auth';
import { BrandVoices } from './content/BrandVoices';
import { WhatsappChannelsTemplates } from './content/WhatsappTemplates';
import { SectionsPage } from './shared/SectionsPage';

export function ContentPage() {
  const canManage = can.market(useAuth().user?.role);
  return (
    <SectionsPage
      title="Content"
      base="/content"
      sections={[
        { id: 'brand-voices', label: 'Brand voice', render: () => <BrandVoices canManage={canManage} /> },
        { id: 'whatsapp-templates', label: 'WhatsApp templates', render: () => <WhatsappChannelsTemplates canManage={canManage} /> },
      ]}
    />
  );
}
