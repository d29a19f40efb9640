/**
 * Settings → Listings (admins): the presence grader's Google Places, Yelp Fusion and Facebook
 * Graph accounts, each a provider form (base URL, write-only key, test, remove). Without one, the
 * grader judges that provider's listing only from what the website says.
 */
import type { z } from 'zod';
import type { providerViewSchema } from '../../../../core/api/admin';
import { errorMessage } from '../shared/errors';
import { EndpointFields, ProviderActions, ProviderLoading, ProviderStatus, useProviderForm } from '../settings/provider';

type View = z.infer<typeof providerViewSchema>;

const PROVIDERS = [
  { path: 'google-places', name: 'Google Places', url: 'https://places.googleapis.com', help: 'An API key with the Places API (New) enabled.' },
  { path: 'yelp', name: 'Yelp Fusion', url: 'https://api.yelp.com', help: 'The API key of a Yelp Fusion app.' },
  { path: 'facebook-graph', name: 'Facebook Graph', url: 'https://graph.facebook.com', help: 'An app access token (APP_ID|APP_SECRET) or a page token.' },
] as const;

function ListingAccount({ path, name, url, help }: (typeof PROVIDERS)[number]) {
  const form = useProviderForm<View>(`/v1/settings/${path}`, []);
  if (!form.view && form.settings.loading) return <ProviderLoading what={name} />;
  return (
    <form onSubmit={(e) => void form.save(e, () => ({}), () => `${name} account saved`)} noValidate aria-label={`${name} account`} className="pg-form-narrow pg-section">
      <h3 className="pg-h3">{name}</h3>
      <p className="pg-muted">
        {help} <ProviderStatus view={form.view} unset="not set: read from the website only" />
      </p>
      {form.settings.error != null && <p className="pg-error-text" role="alert">{errorMessage(form.settings.error)}</p>}
      <EndpointFields form={form} urlHelp={`Leave ${url} unless you use a proxy.`} modelPlaceholder={null} />
      <ProviderActions
        form={form}
        onTest={() => void form.runTest()}
        onRemove={() => void form.remove(() => `${name} account removed`)}
        removeLabel={`Remove ${name} account`}
        removeTitle={`Remove the ${name} account?`}
        removeMessage={`Audits read ${name} listings from the website only until an account is set again.`}
      />
    </form>
  );
}

export function ListingsSection() {
  return (
    <div>
      {PROVIDERS.map((p) => (
        <ListingAccount key={p.path} {...p} />
      ))}
    </div>
  );
}
