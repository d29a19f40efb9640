/**
 * Personalization of campaign text: `{{contact.firstName|there}}` is the contact's first name, or
 * "there" when it is empty. A dotted path reads the contact (`firstName`, `lastName`, `name`,
 * `email`, `phone`, any custom attribute as `contact.attributes.key` or plainly `contact.key`) or
 * the campaign (`campaign.name`). Pure: the sender personalizes each recipient's copy, the preview
 * and the content checks use the same code.
 */
export interface PersonalizationContact {
  firstName?: string | null;
  lastName?: string | null;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  attributes?: Record<string, unknown>;
}

export interface PersonalizationVars {
  contact: PersonalizationContact;
  campaign?: { name: string };
}

/** `{{ path | fallback }}`; the fallback may be empty and holds no `}`. */
const VARIABLE = /\{\{\s*([A-Za-z_][\w]*(?:\.[\w-]+)*)\s*(?:\|([^{}]*))?\}\}/g;

const CONTACT_FIELDS = ['firstName', 'lastName', 'name', 'email', 'phone'] as const;

const asText = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
};

function contactValue(contact: PersonalizationContact, path: string[]): unknown {
  const [field, ...rest] = path;
  if (field === undefined) return undefined;
  if (field === 'attributes') return rest.length === 1 ? contact.attributes?.[rest[0]!] : undefined;
  if (rest.length) return undefined;
  if (field === 'name') return asText(contact.name) || [asText(contact.firstName), asText(contact.lastName)].filter(Boolean).join(' ');
  if ((CONTACT_FIELDS as readonly string[]).includes(field)) return contact[field as (typeof CONTACT_FIELDS)[number]];
  // A bare custom attribute: {{contact.city}}.
  return contact.attributes?.[field];
}

function resolve(path: string, vars: PersonalizationVars): string {
  const [root, ...rest] = path.split('.');
  if (root === 'contact') return asText(contactValue(vars.contact, rest));
  if (root === 'campaign' && rest.length === 1 && rest[0] === 'name') return asText(vars.campaign?.name);
  return '';
}

/** Fills every variable; an unknown or empty one becomes its fallback (or nothing). */
export function personalize(template: string, vars: PersonalizationVars): string {
  return template.replace(VARIABLE, (_match, path: string, fallback: string | undefined) => resolve(path, vars) || (fallback ?? '').trim());
}

/** The distinct variable paths a text uses, in order of first use (for the preview and validation). */
export function personalizationVariables(template: string): string[] {
  const seen = new Set<string>();
  for (const match of template.matchAll(VARIABLE)) seen.add(match[1]!);
  return [...seen];
}

/** Whether a path names something personalize can fill; an unknown one is a typo worth a warning. */
export function isKnownVariable(path: string): boolean {
  const [root, ...rest] = path.split('.');
  if (root === 'campaign') return rest.length === 1 && rest[0] === 'name';
  if (root !== 'contact' || rest.length === 0) return false;
  if (rest[0] === 'attributes') return rest.length === 2;
  // `contact.firstname` is a typo of a field, not a custom attribute.
  const field = rest[0]!;
  if (CONTACT_FIELDS.some((known) => known !== field && known.toLowerCase() === field.toLowerCase())) return false;
  return rest.length === 1;
}
